import type { Attributes, Transaction } from 'sequelize';
import type { Ticket } from '../../db/models/ticket.ts';
import { postToTier, type TicketToPost, type TierTarget } from '../dispatch/post-to-tier.ts';
import { WORK, type DomainContext } from '../domain-context.ts';
import { refreshHomes } from '../home/refresh-homes.ts';

/**
 * A new ticket's first dispatch, in the caller's transaction: posted to tier 1 (channel,
 * pages, escalation) and its source told — a private note on a Zendesk ticket, a DM to a
 * Slack requester (the thread they talk to the expert in).
 */
export async function startDispatch(
  ctx: DomainContext,
  transaction: Transaction,
  ticket: TicketToPost & Pick<Attributes<Ticket>, 'source'>,
  requesterSlackId: string | null,
  target?: TierTarget,
): Promise<void> {
  await postToTier(ctx, transaction, ticket, 1, target);
  // One debounced job per category, whatever the rate of new tickets (see refreshHomes).
  await refreshHomes(ctx, transaction, { category: ticket.categoryId });
  if (ticket.source === 'zendesk') await ctx.outbox.add(transaction, WORK.noteSource, { ticketId: ticket.id });
  if (ticket.source === 'slack' && requesterSlackId) {
    const [confirmation] = await ctx.db.slackMessages.add([{ ticketId: ticket.id, purpose: 'requester_confirmation', channel: requesterSlackId, expertId: null }], { transaction, now: ctx.now() });
    await ctx.outbox.add(transaction, WORK.slackPost, { messageId: confirmation! });
  }
}
