import type { Attributes, Transaction } from 'sequelize';
import type { Ticket } from '../../db/models/ticket.ts';
import { WORK, type DomainContext } from '../domain-context.ts';
import { storedCategory, type StoredTier } from '../routing-snapshot.ts';
import { selectExpertsToPage } from './select-experts-to-page.ts';

export interface PostedTier {
  position: number;
  groupKey: string;
  paged: number[];
  timeoutMinutes: number;
}

/** A tier of a category and the group it posts to. */
export type TierTarget = StoredTier;

/** What posting needs of a ticket. */
export type TicketToPost = Pick<Attributes<Ticket>, 'id' | 'categoryId' | 'status' | 'tier' | 'dispatchedAt' | 'dispatchRound'>;

/** Tier `position` of a category with its group, or undefined if there is none. */
export async function findTier(ctx: Pick<DomainContext, 'db'>, transaction: Transaction, categoryId: number, position: number): Promise<TierTarget | undefined> {
  return (await storedCategory(ctx, categoryId, transaction))?.tiers.find((t) => t.position === position);
}

/**
 * Posts a ticket to tier `position` of its category: the message in the group's channel,
 * a page to each of the group's best available experts, and the escalation that fires if
 * nobody books in time — all as work committed with the caller's transaction.
 * Returns undefined when the category has no such tier.
 */
export async function postToTier(ctx: DomainContext, transaction: Transaction, ticket: TicketToPost, position: number, target?: TierTarget): Promise<PostedTier | undefined> {
  const tier = target ?? (await findTier(ctx, transaction, ticket.categoryId, position));
  if (!tier) return undefined;
  const { group } = tier;
  const now = ctx.now();

  // A ticket created already dispatched to this tier (see createTicket) needs no write.
  if (ticket.status !== 'dispatched' || ticket.tier !== position || !ticket.dispatchedAt) {
    await ctx.db.tickets.markDispatched(ticket.id, position, ticket.dispatchedAt ?? now, now, { transaction });
  }

  // The round a message belongs to: after a release, messages of earlier rounds stop offering Book.
  const details = JSON.stringify({ round: ticket.dispatchRound });
  const exclude = await releasedBy(ctx, transaction, ticket);
  const experts = await selectExpertsToPage(ctx, transaction, { groupId: group.id, categoryId: ticket.categoryId, limit: group.pageTop, exclude });
  const messageIds = await ctx.db.slackMessages.add(
    [
      { ticketId: ticket.id, purpose: 'dispatch', tier: position, channel: group.channelId, expertId: null, details },
      ...experts.map((expert) => ({ ticketId: ticket.id, purpose: 'page' as const, tier: position, channel: expert.slackUserId, expertId: expert.id, details })),
    ],
    { transaction, now },
  );
  for (const messageId of messageIds) await ctx.outbox.add(transaction, WORK.slackPost, { messageId });
  await ctx.db.experts.markPaged(experts.map((e) => e.id), now, { transaction });

  await ctx.outbox.add(transaction, WORK.escalate, { ticketId: ticket.id, tier: position, round: ticket.dispatchRound }, { runAt: new Date(now.getTime() + tier.timeoutMinutes * 60_000) });
  return { position, groupKey: group.key, paged: experts.map((e) => e.id), timeoutMinutes: tier.timeoutMinutes };
}

/**
 * The expert who handed the ticket back, starting this dispatch round: not paged for it
 * again in this round, at any tier (they may still press Book on a post). Rounds after the
 * first start with a release, and nobody has booked in this one yet, so theirs is the
 * ticket's latest expert alias.
 */
async function releasedBy(ctx: Pick<DomainContext, 'db'>, transaction: Transaction, ticket: TicketToPost): Promise<number[]> {
  if (ticket.dispatchRound <= 1) return [];
  const last = await ctx.db.ticketAliases.latestExpertOf(ticket.id, { transaction });
  return last === undefined ? [] : [last];
}
