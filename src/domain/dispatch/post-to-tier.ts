import type { Transaction } from 'sequelize';
import type { Group } from '../../db/models/group.ts';
import type { Ticket } from '../../db/models/ticket.ts';
import type { Tier } from '../../db/models/tier.ts';
import { WORK, type DomainContext } from '../domain-context.ts';
import { selectExpertsToPage } from './select-experts-to-page.ts';

export interface PostedTier {
  position: number;
  groupKey: string;
  paged: number[];
  timeoutMinutes: number;
}

export interface TierTarget {
  tier: Tier;
  group: Group;
}

/** Tier `position` of a category with its group (one query), or undefined if there is none. */
export async function findTier(ctx: Pick<DomainContext, 'db'>, transaction: Transaction, categoryId: number, position: number): Promise<TierTarget | undefined> {
  const tier = await ctx.db.models.Tier.findOne({ where: { categoryId, position }, include: [{ association: 'group' }], transaction });
  const group = tier?.get('group') as Group | null | undefined;
  return tier && group ? { tier, group } : undefined;
}

/**
 * Posts a ticket to tier `position` of its category: the message in the group's channel,
 * a page to each of the group's best available experts, and the escalation that fires if
 * nobody books in time — all as work committed with the caller's transaction.
 * Returns undefined when the category has no such tier.
 */
export async function postToTier(ctx: DomainContext, transaction: Transaction, ticket: Ticket, position: number, target?: TierTarget): Promise<PostedTier | undefined> {
  const { SlackMessage, Expert } = ctx.db.models;
  const found = target ?? (await findTier(ctx, transaction, ticket.categoryId, position));
  if (!found) return undefined;
  const { tier, group } = found;
  const now = ctx.now();

  // A ticket created already dispatched to this tier (see createTicket) needs no write.
  if (ticket.status !== 'dispatched' || ticket.tier !== position || !ticket.dispatchedAt) {
    await ticket.update({ status: 'dispatched', tier: position, dispatchedAt: ticket.dispatchedAt ?? now }, { transaction });
  }

  // The round a message belongs to: after a release, messages of earlier rounds stop offering Book.
  const details = JSON.stringify({ round: ticket.dispatchRound });
  const post = await SlackMessage.create({ ticketId: ticket.id, purpose: 'dispatch', tier: position, channel: group.channelId, expertId: null, details }, { transaction });
  await ctx.outbox.add(transaction, WORK.slackPost, { messageId: post.id });

  const experts = await selectExpertsToPage(ctx, transaction, { groupId: group.id, categoryId: ticket.categoryId, limit: group.pageTop });
  for (const expert of experts) {
    const page = await SlackMessage.create({ ticketId: ticket.id, purpose: 'page', tier: position, channel: expert.slackUserId!, expertId: expert.id, details }, { transaction });
    await ctx.outbox.add(transaction, WORK.slackPost, { messageId: page.id });
  }
  if (experts.length > 0) await Expert.update({ lastPagedAt: now }, { where: { id: experts.map((e) => e.id) }, transaction });

  await ctx.outbox.add(transaction, WORK.escalate, { ticketId: ticket.id, tier: position, round: ticket.dispatchRound }, { runAt: new Date(now.getTime() + tier.timeoutMinutes * 60_000) });
  return { position, groupKey: group.key, paged: experts.map((e) => e.id), timeoutMinutes: tier.timeoutMinutes };
}
