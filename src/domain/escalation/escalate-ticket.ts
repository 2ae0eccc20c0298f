import { WORK, type DomainContext } from '../domain-context.ts';
import { postToTier } from '../dispatch/post-to-tier.ts';
import { refreshTicketMessages } from '../dispatch/refresh-ticket-messages.ts';
import { refreshTicketHomes } from '../home/refresh-homes.ts';

export type EscalationOutcome = { outcome: 'escalated'; tier: number } | { outcome: 'exhausted' } | { outcome: 'stale' };

/**
 * A tier's timeout passed. If the ticket is still unbooked at that tier, post it to the next
 * tier (or, after the last, alert the managers; the ticket stays bookable everywhere) and
 * update the earlier messages. Anything else — booked, cancelled, already escalated, released and dispatched
 * again since (a new round) — makes
 * this a no-op, so a late or repeated run is harmless.
 */
export async function escalateTicket(ctx: DomainContext, input: { ticketId: number; tier: number; round?: number }): Promise<EscalationOutcome> {
  const { Ticket, SlackMessage } = ctx.db.models;
  return ctx.db.unitOfWork(async (transaction) => {
    // Claim the escalation: only one run moves the ticket past this tier.
    const ticket = await Ticket.findByPk(input.ticketId, { transaction });
    if (!ticket) return { outcome: 'stale' } as const;
    const hasNext = (await ctx.db.models.Tier.count({ where: { categoryId: ticket.categoryId, position: input.tier + 1 }, transaction })) > 0;
    const [claimed] = await Ticket.update(
      hasNext ? { tier: input.tier + 1 } : { escalationExhaustedAt: ctx.now() },
      { where: { id: input.ticketId, status: 'dispatched', tier: input.tier, dispatchRound: input.round ?? 1, escalationExhaustedAt: null }, transaction },
    );
    if (claimed !== 1) return { outcome: 'stale' } as const;
    await ticket.reload({ transaction });

    if (hasNext) {
      await postToTier(ctx, transaction, ticket, input.tier + 1);
      await refreshTicketMessages(ctx, transaction, ticket.id);
      await refreshTicketHomes(ctx, transaction, { categoryId: ticket.categoryId });
      return { outcome: 'escalated', tier: input.tier + 1 } as const;
    }
    const alert = await SlackMessage.create({ ticketId: ticket.id, purpose: 'escalation_alert', tier: input.tier, channel: ctx.routing.managersChannel, expertId: null }, { transaction });
    await ctx.outbox.add(transaction, WORK.slackPost, { messageId: alert.id });
    await refreshTicketMessages(ctx, transaction, ticket.id);
    await refreshTicketHomes(ctx, transaction, { categoryId: ticket.categoryId });
    return { outcome: 'exhausted' } as const;
  });
}
