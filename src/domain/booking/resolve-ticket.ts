import { refreshHomes } from '../home/refresh-homes.ts';
import type { DomainContext } from '../domain-context.ts';
import { refreshTicketMessages } from '../dispatch/refresh-ticket-messages.ts';
import { expertLabel } from '../relay/labels.ts';
import { openSurvey } from '../surveys/open-survey.ts';

export type ResolveOutcome = 'resolved' | 'not_yours' | 'closed' | 'not_found';

/**
 * The expert who has a ticket marks it resolved, with notes: it waits for the customer's
 * survey (`close_pending`), whose link goes to the customer in the same transaction (see
 * surveys/open-survey.ts). The conversation stays open until the ticket closes, so the
 * customer can still answer.
 */
export async function resolveTicket(ctx: DomainContext, input: { ticketId: number; expertId: number; notes: string }): Promise<ResolveOutcome> {
  const { Ticket, TicketAlias } = ctx.db.models;
  return ctx.db.unitOfWork(async (transaction) => {
    const ticket = await Ticket.findByPk(input.ticketId, { transaction });
    if (!ticket) return 'not_found';
    if (['close_pending', 'closed', 'cancelled'].includes(ticket.status)) return 'closed';
    const [claimed] = await Ticket.update(
      { status: 'close_pending', resolvedAt: ctx.now(), resolutionNotes: input.notes },
      { where: { id: ticket.id, status: 'booked', expertId: input.expertId }, transaction },
    );
    if (claimed !== 1) return 'not_yours';
    await ticket.reload({ transaction });
    await refreshTicketMessages(ctx, transaction, ticket.id);
    const alias = await TicketAlias.findOne({ where: { ticketId: ticket.id, side: 'expert', expertId: input.expertId, releasedAt: null }, transaction });
    await openSurvey(ctx, transaction, ticket, { expertId: input.expertId, expertLabel: expertLabel(alias?.name ?? 'Helpnet') });
    await refreshHomes(ctx, transaction, { experts: [input.expertId] });
    await refreshHomes(ctx, transaction, { managers: true });
    return 'resolved';
  });
}
