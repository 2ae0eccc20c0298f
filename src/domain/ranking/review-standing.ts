import type { Transaction } from 'sequelize';
import { WORK, type DomainContext } from '../domain-context.ts';
import type { Standing } from './record-survey.ts';

export type ReviewOutcome = 'suspended' | 'kept';

/** Why an expert is suspended, in words for them and the managers. */
export function suspensionReason(o: { score: number; surveys: number; suspendBelow: number }): string {
  return `score ${o.score.toFixed(2)} after ${o.surveys} survey${o.surveys === 1 ? '' : 's'}, below the network's threshold of ${o.suspendBelow.toFixed(2)}`;
}

/** The DM an expert gets when suspended (Helpnet's own words: the reason is numbers only). */
export function suspensionNotice(reason: string): string {
  return `:no_entry: Your Helpnet expert status is suspended: ${reason}. You will not be paged and cannot book tickets for now. A Helpnet manager can reinstate you; they have been told.`;
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
  const messages = [
    { ticketId: null, purpose: 'suspension_alert' as const, channel: ctx.routing.managersChannel, expertId: expert.id, details: JSON.stringify({ reason }) },
    ...(expert.slackUserId ? [{ ticketId: null, purpose: 'notice' as const, channel: expert.slackUserId, expertId: expert.id, details: JSON.stringify({ text: suspensionNotice(reason) }) }] : []),
  ];
  const ids = await ctx.db.slackMessages.add(messages, { transaction, now });
  for (const messageId of ids) await ctx.outbox.add(transaction, WORK.slackPost, { messageId });
  return 'suspended';
}
