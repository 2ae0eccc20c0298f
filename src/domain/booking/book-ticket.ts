import { Op, type Transaction } from 'sequelize';
import { WORK, type DomainContext } from '../domain-context.ts';
import { assignAlias } from '../aliases/assign-alias.ts';

export type BookingOutcome = 'booked' | 'already_booked' | 'closed' | 'not_qualified' | 'not_found';

const FINISHED = ['close_pending', 'closed', 'cancelled'];

/** The claim's condition on the expert: approved for the ticket's category, and not suspended. */
function qualifiedExpert(ctx: DomainContext, expertId: number) {
  const q = ctx.db.sequelize.getQueryInterface().quoteIdentifier.bind(ctx.db.sequelize.getQueryInterface());
  const id = ctx.db.sequelize.escape(expertId);
  return ctx.db.sequelize.literal(
    `EXISTS (SELECT 1 FROM ${q('expert_skills')} s JOIN ${q('experts')} e ON e.${q('id')} = s.${q('expert_id')}` +
      ` WHERE s.${q('expert_id')} = ${id} AND s.${q('category_id')} = ${q('tickets')}.${q('category_id')} AND s.${q('status')} = 'approved' AND e.${q('suspended_at')} IS NULL)`,
  );
}

/**
 * An expert takes a ticket. One conditional write decides — the ticket still unbooked and
 * the expert approved for its category and not suspended — so of any number of simultaneous
 * attempts, in any number of processes, exactly one wins. The winning transaction is kept
 * short (the claim, the expert's alias for this ticket, and the follow-up as work), so the
 * others hear "already booked" at once; the follow-up (the expert's thread, "Booked" on
 * every message, telling the customer) runs as a job (see completeBooking).
 */
export async function bookTicket(ctx: DomainContext, input: { ticketId: number; expertId: number }): Promise<BookingOutcome> {
  const { Ticket, Expert, ExpertSkill } = ctx.db.models;
  // Plain reads answer most clicks without touching the write path.
  const ticket = await Ticket.findByPk(input.ticketId, { attributes: ['id', 'status', 'categoryId'] });
  if (!ticket) return 'not_found';
  if (FINISHED.includes(ticket.status)) return 'closed';
  if (ticket.status === 'booked') return 'already_booked';
  const expert = await Expert.findByPk(input.expertId, { attributes: ['id', 'suspendedAt'] });
  if (!expert || expert.suspendedAt || (await ExpertSkill.count({ where: { expertId: expert.id, categoryId: ticket.categoryId, status: 'approved' } })) === 0) return 'not_qualified';

  const won = await ctx.db.sequelize.transaction(async (transaction: Transaction) => {
    const [claimed] = await Ticket.update(
      { status: 'booked', bookedAt: ctx.now(), expertId: expert.id },
      { where: { id: ticket.id, status: { [Op.in]: ['open', 'dispatched'] }, [Op.and]: [qualifiedExpert(ctx, expert.id)] }, transaction },
    );
    if (claimed !== 1) return false;
    // The name the customer will know this expert by, for this ticket only.
    const alias = await assignAlias(ctx, transaction, { ticketId: ticket.id, side: 'expert', expertId: expert.id });
    await ctx.outbox.add(transaction, WORK.completeBooking, { ticketId: ticket.id, expertId: expert.id, aliasId: alias.id });
    return true;
  });
  if (won) return 'booked';
  // Lost: someone else booked it, or it was withdrawn or the expert suspended meanwhile.
  const now = (await Ticket.findByPk(ticket.id, { attributes: ['status'] }))?.status;
  if (!now) return 'not_found';
  if (FINISHED.includes(now)) return 'closed';
  return now === 'booked' ? 'already_booked' : 'not_qualified';
}
