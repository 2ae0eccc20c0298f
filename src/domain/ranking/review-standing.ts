import { refreshHomes } from '../home/refresh-homes.ts';
import type { Transaction } from 'sequelize';
import { WORK, type DomainContext } from '../domain-context.ts';
import type { ExpertRow } from '../../db/repositories/experts.ts';
import { escapeMrkdwn } from '../../lib/mrkdwn.ts';
import type { Standing } from './record-survey.ts';

export type ReviewOutcome = 'suspended' | 'kept';

/** Why an expert is suspended, in words for them and the managers. */
export function suspensionReason(o: { score: number; surveys: number; suspendBelow: number }): string {
  return `score ${o.score.toFixed(2)} after ${o.surveys} survey${o.surveys === 1 ? '' : 's'}, below the network's threshold of ${o.suspendBelow.toFixed(2)}`;
}

/**
 * The DM an expert gets when suspended. The ranking's reason is numbers only; an operator's
 * reason is a person's text, so it is escaped for Slack here (the DM is shown as written).
 */
export function suspensionNotice(reason: string, by: 'ranking' | 'operator' = 'ranking'): string {
  const why = by === 'operator' ? `A Helpnet operator has suspended your Helpnet expert status: ${escapeMrkdwn(reason.trim().replace(/\.+$/, ''))}` : `Your Helpnet expert status is suspended: ${reason}`;
  return `:no_entry: ${why}. You will not be paged and cannot book tickets for now. A Helpnet manager can reinstate you; they have been told.`;
}

/**
 * The messages a suspension sends, queued in its transaction: the reason with a Reinstate
 * button to the managers' channel (see reinstate-expert.ts), and a DM telling the expert why.
 */
export async function queueSuspensionMessages(
  ctx: Pick<DomainContext, 'db' | 'outbox' | 'routing'>,
  transaction: Transaction,
  expert: Pick<ExpertRow, 'id' | 'slackUserId'>,
  reason: string,
  opts: { now: Date; by?: 'ranking' | 'operator' },
): Promise<void> {
  const messages = [
    { ticketId: null, purpose: 'suspension_alert' as const, channel: ctx.routing.managersChannel, expertId: expert.id, details: JSON.stringify({ reason }) },
    ...(expert.slackUserId ? [{ ticketId: null, purpose: 'notice' as const, channel: expert.slackUserId, expertId: expert.id, details: JSON.stringify({ text: suspensionNotice(reason, opts.by) }) }] : []),
  ];
  const ids = await ctx.db.slackMessages.add(messages, { transaction, now: opts.now });
  for (const messageId of ids) await ctx.outbox.add(transaction, WORK.slackPost, { messageId });
  await refreshHomes(ctx, transaction, { experts: [expert.id] });
  await refreshHomes(ctx, transaction, { managers: true });
}

/**
 * After a survey counted: an expert whose overall score is below `ranking.suspendBelow`
 * once they have had at least `ranking.minSurveys` surveys (since they were last
 * reinstated) is suspended — no longer paged, Book refused — until a manager reinstates them.
 * In the same transaction the expert is told why (a DM) and the managers' channel gets
 * the reason with a Reinstate button (see reinstate-expert.ts).
 */
export async function reviewStanding(ctx: DomainContext, transaction: Transaction, standing: Standing): Promise<ReviewOutcome> {
  const { suspendBelow, minSurveys } = ctx.routing.ranking;
  const expert = await ctx.db.experts.byId(standing.expertId, { transaction });
  if (!expert || expert.suspendedAt) return 'kept';
  if (expert.surveysSinceReview < minSurveys || standing.overall >= suspendBelow) return 'kept';
  const reason = suspensionReason({ score: standing.overall, surveys: expert.surveysSinceReview, suspendBelow });
  const now = ctx.now();
  if (!(await ctx.db.experts.suspend(expert.id, reason, { transaction, now }))) return 'kept';
  await queueSuspensionMessages(ctx, transaction, expert, reason, { now });
  return 'suspended';
}
