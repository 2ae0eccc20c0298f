import type { Transaction } from 'sequelize';
import { WORK, type DomainContext } from '../domain-context.ts';
import { assignAlias } from '../aliases/assign-alias.ts';

export type BookingOutcome = 'booked' | 'already_booked' | 'closed' | 'not_qualified' | 'suspended' | 'not_found';

const FINISHED = ['close_pending', 'closed', 'cancelled'];

/**
 * An expert takes a ticket. One conditional write decides — the ticket still unbooked and
 * the expert approved for its category and not suspended — so of any number of simultaneous
 * attempts, in any number of processes, exactly one wins. The winning transaction is kept
 * short (the claim, the expert's alias for this ticket, and the follow-up as work), so the
 * others hear "already booked" at once; the follow-up (the expert's thread, "Booked" on
 * every message, telling the customer) runs as a job (see completeBooking).
 */
export async function bookTicket(ctx: DomainContext, input: { ticketId: number; expertId: number }): Promise<BookingOutcome> {
  // Clicks on one ticket come in herds (everyone paged at once). While one attempt on it is
  // under way in this process, the others wait for it: if it settled the ticket (booked,
  // closed, gone) that is their answer too, with no query; if not (that expert was not
  // qualified, or it failed), each tries for itself. Other processes do the same, and the
  // conditional write below still decides between them.
  const attempts = attemptsOn(ctx);
  const earlier = attempts.get(input.ticketId);
  if (earlier) {
    const settled = await earlier.then(
      (outcome) => TICKET_SETTLED[outcome],
      () => undefined,
    );
    if (settled) return settled;
  }
  const attempt = attemptBooking(ctx, input);
  attempts.set(input.ticketId, attempt);
  try {
    return await attempt;
  } finally {
    if (attempts.get(input.ticketId) === attempt) attempts.delete(input.ticketId);
  }
}

/** What an attempt's outcome means for another expert's click on the same ticket. */
const TICKET_SETTLED: Record<BookingOutcome, BookingOutcome | undefined> = {
  booked: 'already_booked',
  already_booked: 'already_booked',
  closed: 'closed',
  not_found: 'not_found',
  not_qualified: undefined,
  suspended: undefined,
};

const attemptsByDatabase = new WeakMap<object, Map<number, Promise<BookingOutcome>>>();
function attemptsOn(ctx: DomainContext): Map<number, Promise<BookingOutcome>> {
  let attempts = attemptsByDatabase.get(ctx.db.sequelize);
  if (!attempts) attemptsByDatabase.set(ctx.db.sequelize, (attempts = new Map()));
  return attempts;
}

async function attemptBooking(ctx: DomainContext, input: { ticketId: number; expertId: number }): Promise<BookingOutcome> {
  const { Ticket } = ctx.db.models;
  // One plain read answers most clicks (already booked, closed, not qualified) without
  // touching the write path; many clicks arrive together, so it is a single statement.
  const state = await ctx.db.tickets.bookingState(input.ticketId, input.expertId);
  if (!state) return 'not_found';
  if (FINISHED.includes(state.status)) return 'closed';
  if (state.status === 'booked') return 'already_booked';
  if (!state.qualified) return refusal(ctx, input.expertId);

  const won = await ctx.db.unitOfWork(async (transaction: Transaction) => {
    // The one conditional write that decides between simultaneous attempts.
    if (!(await ctx.db.tickets.claimBooking(input.ticketId, input.expertId, { transaction, now: ctx.now() }))) return false;
    // The name the customer will know this expert by, for this ticket only.
    const alias = await assignAlias(ctx, transaction, { ticketId: input.ticketId, side: 'expert', expertId: input.expertId });
    await ctx.outbox.add(transaction, WORK.completeBooking, { ticketId: input.ticketId, expertId: input.expertId, aliasId: alias.id });
    return true;
  });
  if (won) return 'booked';
  // Lost: someone else booked it, or it was withdrawn or the expert suspended meanwhile.
  const now = (await Ticket.findByPk(input.ticketId, { attributes: ['status'] }))?.status;
  if (!now) return 'not_found';
  if (FINISHED.includes(now)) return 'closed';
  return now === 'booked' ? 'already_booked' : refusal(ctx, input.expertId);
}

/** Why an expert may not book: suspended by the ranking (the caller can read the reason), or not approved for the category. */
async function refusal(ctx: DomainContext, expertId: number): Promise<BookingOutcome> {
  const expert = await ctx.db.experts.byId(expertId);
  return expert?.suspendedAt ? 'suspended' : 'not_qualified';
}
