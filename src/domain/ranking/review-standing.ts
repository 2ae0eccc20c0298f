import type { Transaction } from 'sequelize';
import type { DomainContext } from '../domain-context.ts';
import type { Standing } from './record-survey.ts';

export type ReviewOutcome = 'suspended' | 'kept';

/** Why an expert is suspended, in words for them and the managers. */
export function suspensionReason(o: { score: number; surveys: number; suspendBelow: number }): string {
  return `score ${o.score.toFixed(2)} after ${o.surveys} survey${o.surveys === 1 ? '' : 's'}, below the network's threshold of ${o.suspendBelow.toFixed(2)}`;
}

/**
 * After a survey counted: an expert whose overall score is below `ranking.suspendBelow`
 * once they have had at least `ranking.minSurveys` surveys (since they were last
 * reinstated) is suspended — no longer paged, Book refused — until a manager reinstates them.
 */
export async function reviewStanding(ctx: DomainContext, transaction: Transaction, standing: Standing): Promise<ReviewOutcome> {
  const { suspendBelow, minSurveys } = ctx.routing.ranking;
  const expert = await ctx.db.experts.byId(standing.expertId, { transaction });
  if (!expert || expert.suspendedAt) return 'kept';
  if (expert.surveysSinceReview < minSurveys || standing.overall >= suspendBelow) return 'kept';
  const reason = suspensionReason({ score: standing.overall, surveys: expert.surveysSinceReview, suspendBelow });
  if (!(await ctx.db.experts.suspend(expert.id, reason, { transaction, now: ctx.now() }))) return 'kept';
  return 'suspended';
}
