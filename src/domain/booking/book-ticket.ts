import { Op } from 'sequelize';
import type { DomainContext } from '../domain-context.ts';
import { assignAlias } from '../aliases/assign-alias.ts';
import { refreshTicketMessages } from '../dispatch/refresh-ticket-messages.ts';
import { expertLabel } from '../relay/labels.ts';
import { tellCustomer } from '../relay/route-message.ts';
import { ticketPublicId } from '../tickets/ticket-public-id.ts';
import { openExpertThread } from './open-expert-thread.ts';

export type BookingOutcome = 'booked' | 'already_booked' | 'closed' | 'not_qualified' | 'not_found';

/**
 * An expert takes a ticket. One conditional write decides: it succeeds only while the
 * ticket is unbooked, so of any number of simultaneous attempts exactly one wins. Every
 * message posted about the ticket is then updated to say it is booked, the expert gets a
 * thread for the ticket in their DM, and the customer is told, under the expert's new alias.
 */
export async function bookTicket(ctx: DomainContext, input: { ticketId: number; expertId: number }): Promise<BookingOutcome> {
  const { Ticket, Expert, ExpertSkill } = ctx.db.models;
  return ctx.db.sequelize.transaction(async (transaction) => {
    const ticket = await Ticket.findByPk(input.ticketId, { transaction });
    if (!ticket) return 'not_found';
    if (['close_pending', 'closed', 'cancelled'].includes(ticket.status)) return 'closed';
    const expert = await Expert.findByPk(input.expertId, { transaction });
    const approved = expert && !expert.suspendedAt && (await ExpertSkill.count({ where: { expertId: expert.id, categoryId: ticket.categoryId, status: 'approved' }, transaction })) > 0;
    if (!approved) return 'not_qualified';
    const [claimed] = await Ticket.update(
      { status: 'booked', bookedAt: ctx.now(), expertId: expert.id },
      { where: { id: ticket.id, status: { [Op.in]: ['open', 'dispatched'] } }, transaction },
    );
    if (claimed !== 1) return 'already_booked';
    // The name the customer will know this expert by, for this ticket only.
    const alias = await assignAlias(ctx, transaction, { ticketId: ticket.id, side: 'expert', expertId: expert.id });
    await ticket.reload({ transaction });
    await openExpertThread(ctx, transaction, ticket, expert, alias);
    await refreshTicketMessages(ctx, transaction, ticket.id);
    await tellCustomer(ctx, transaction, ticket, `${expertLabel(alias.name)} has taken your ticket ${ticketPublicId(ticket.id)}.`);
    return 'booked';
  });
}
