import type { Transaction } from 'sequelize';
import { ALL } from '../../db/models/ranking-sum.ts';
import { keyOf, type RankingSumRow } from '../../db/repositories/ranking.ts';
import type { DomainContext } from '../domain-context.ts';
import { addSurvey, scoreAt, type DecayedSum } from './rules.ts';
import { priorOf } from './scores.ts';

/** An expert's scores right after a survey counted. */
export interface Standing {
  expertId: number;
  /** Over every category. */
  overall: number;
  /** In the survey's category. */
  category: number;
  /** Surveys counted for the expert, ever. */
  surveys: number;
}

const toSum = (row: RankingSumRow): DecayedSum => ({ weightedRatings: row.weightedRatings, weights: row.weights, at: row.decayedAt.getTime() });

/**
 * Counts one survey in the ranking, in the survey's transaction: the network's sums, the
 * expert's and the expert's in the category each take it in O(1) (three rows locked and
 * updated, whatever the history), and the expert's overall score is stored for display.
 * `rating` is the survey's rating (rules.surveyRating), `weight` 1 for an answer and
 * `ranking.defaultedWeight` for a survey the defaults filled.
 */
export async function recordSurvey(
  ctx: Pick<DomainContext, 'db' | 'routing' | 'now'>,
  transaction: Transaction,
  survey: { expertId: number; categoryId: number; rating: number; weight: number },
): Promise<Standing> {
  const now = ctx.now();
  const { halfLifeDays } = ctx.routing.ranking;
  const keys = [
    { expertId: ALL, categoryId: ALL },
    { expertId: survey.expertId, categoryId: ALL },
    { expertId: survey.expertId, categoryId: survey.categoryId },
  ];
  const rows = await ctx.db.ranking.lock(keys, { transaction, now });
  const updated = new Map<string, RankingSumRow>();
  for (const key of keys) {
    const row = rows.get(keyOf(key))!;
    const sum = addSurvey(toSum(row), { rating: survey.rating, weight: survey.weight, answeredAt: now.getTime() }, halfLifeDays);
    const next = { ...row, weightedRatings: sum.weightedRatings, weights: sum.weights, decayedAt: new Date(sum.at), surveys: row.surveys + 1 };
    await ctx.db.ranking.save(next, { transaction });
    updated.set(keyOf(key), next);
  }
  const prior = priorOf(ctx.routing, updated.get(keyOf(keys[0]!)), now);
  const score = (key: (typeof keys)[number]) => scoreAt(toSum(updated.get(keyOf(key))!), now.getTime(), prior, halfLifeDays);
  const standing: Standing = { expertId: survey.expertId, overall: score(keys[1]!), category: score(keys[2]!), surveys: updated.get(keyOf(keys[1]!))!.surveys };
  await ctx.db.experts.recordScore(survey.expertId, standing.overall, { transaction, now });
  return standing;
}
