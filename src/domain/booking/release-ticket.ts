import type { DomainContext } from '../domain-context.ts';
import { releaseAliases } from '../aliases/assign-alias.ts';
import { postToTier } from '../dispatch/post-to-tier.ts';
import { refreshTicketMessages } from '../dispatch/refresh-ticket-messages.ts';
import { tellCustomer } from '../relay/route-message.ts';
import { ticketPublicId } from '../tickets/ticket-public-id.ts';
import { refreshTicketHomes } from '../home/refresh-homes.ts';

export type ReleaseOutcome = 'released' | 'not_yours' | 'closed' | 'not_found';

/**
 * The expert hands a booked ticket back. Their alias for it is released (late replies in
 * their old thread are refused), and the ticket starts a new dispatch round from tier 1:
 * new posts and pages (not to the expert who released it), a new escalation timeline;
 * messages of the earlier round stop offering Book. The customer is told another expert is
 * being found.
 */
export async function releaseTicket(ctx: DomainContext, input: { ticketId: number; expertId: number }): Promise<ReleaseOutcome> {
  const { Ticket } = ctx.db.models;
  return ctx.db.unitOfWork(async (transaction) => {
    const ticket = await Ticket.findByPk(input.ticketId, { transaction });
    if (!ticket) return 'not_found';
    if (['close_pending', 'closed', 'cancelled'].includes(ticket.status)) return 'closed';
    const [claimed] = await Ticket.update(
      { status: 'open', expertId: null, bookedAt: null, tier: null, escalationExhaustedAt: null, dispatchRound: ticket.dispatchRound + 1 },
      { where: { id: ticket.id, status: 'booked', expertId: input.expertId, dispatchRound: ticket.dispatchRound }, transaction },
    );
    if (claimed !== 1) return 'not_yours';
    await releaseAliases(ctx, transaction, ticket.id, 'expert');
    await ticket.reload({ transaction });
    await refreshTicketMessages(ctx, transaction, ticket.id);
    await postToTier(ctx, transaction, ticket, 1);
    await tellCustomer(ctx, transaction, ticket, `The expert who had your ticket ${ticketPublicId(ticket.id)} had to hand it back. We are finding you another expert.`);
    await refreshTicketHomes(ctx, transaction, { categoryId: ticket.categoryId, expertIds: [input.expertId] });
    return 'released';
  });
}
