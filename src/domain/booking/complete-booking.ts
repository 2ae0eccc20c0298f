import type { DomainContext } from '../domain-context.ts';
import { refreshTicketMessages } from '../dispatch/refresh-ticket-messages.ts';
import { expertLabel } from '../relay/labels.ts';
import { tellCustomer } from '../relay/route-message.ts';
import { ticketPublicId } from '../tickets/ticket-public-id.ts';
import { openExpertThread } from './open-expert-thread.ts';
import { refreshTicketHomes } from '../home/refresh-homes.ts';

/**
 * What follows a won booking: the expert's thread for the ticket, every message about the
 * ticket updated to "Booked", and the customer told under the expert's alias. Once per
 * booking (a repeated run finds the thread already made), and not at all if the booking is
 * over by the time it runs (the expert released it: their alias is released).
 */
export async function completeBooking(ctx: DomainContext, input: { ticketId: number; expertId: number; aliasId: number }): Promise<'completed' | 'stale'> {
  const { Ticket, Expert, TicketAlias } = ctx.db.models;
  return ctx.db.unitOfWork(async (transaction) => {
    // Locked before the inserts below, whose foreign keys take shared locks on it.
    const ticket = await Ticket.findByPk(input.ticketId, { transaction, lock: transaction.LOCK.UPDATE });
    const alias = await TicketAlias.findByPk(input.aliasId, { transaction });
    if (!ticket || !alias || alias.releasedAt || ticket.expertId !== input.expertId) return 'stale';
    if (await ctx.db.slackMessages.expertThreadOfAlias(ticket.id, input.expertId, alias.id, { transaction })) return 'stale';
    const expert = await Expert.findByPk(input.expertId, { transaction, rejectOnEmpty: true });
    await openExpertThread(ctx, transaction, ticket, expert, alias);
    await refreshTicketMessages(ctx, transaction, ticket.id);
    await tellCustomer(ctx, transaction, ticket, `${expertLabel(alias.name)} has taken your ticket ${ticketPublicId(ticket.id)}.`);
    await refreshTicketHomes(ctx, transaction, { categoryId: ticket.categoryId, expertIds: [input.expertId] });
    return 'completed';
  });
}
