import type { Transaction } from 'sequelize';
import type { Routing } from '../../config/routing.ts';
import { ALL } from '../../db/models/ranking-sum.ts';
import { keyOf, type RankingSumRow } from '../../db/repositories/ranking.ts';
import type { DomainContext } from '../domain-context.ts';
import { NEUTRAL_SCORE } from '../dispatch/rules.ts';
import { decayTo, EMPTY_SUM, scoreAt } from './rules.ts';

/**
 * The prior every score is pulled toward: `ranking.priorWeight` pseudo-surveys at the
 * network's (decayed) mean rating, or at the middle of the scale before any survey.
 */
export function priorOf(routing: Pick<Routing, 'ranking'>, network: RankingSumRow | undefined, now: Date): { mean: number; weight: number } {
  const { halfLifeDays, priorWeight } = routing.ranking;
  const sum = network ? decayTo({ weightedRatings: network.weightedRatings, weights: network.weights, at: network.decayedAt.getTime() }, now.getTime(), halfLifeDays) : EMPTY_SUM;
  return { mean: sum.weights > 0 ? sum.weightedRatings / sum.weights : NEUTRAL_SCORE, weight: priorWeight };
}

/**
 * The experts' scores now, for paging in a category: the category's score where the
 * expert has surveys in it, the overall one where they have surveys elsewhere only, and
 * the prior's mean for a newcomer. One query, however many experts.
 */
export async function currentScores(
  ctx: Pick<DomainContext, 'db' | 'routing'>,
  expertIds: readonly number[],
  opts: { categoryId?: number; now: Date; transaction?: Transaction },
): Promise<Map<number, number>> {
  const keys = [{ expertId: ALL, categoryId: ALL }, ...expertIds.flatMap((expertId) => [{ expertId, categoryId: ALL }, ...(opts.categoryId ? [{ expertId, categoryId: opts.categoryId }] : [])])];
  const rows = await ctx.db.ranking.read(keys, { transaction: opts.transaction });
  const prior = priorOf(ctx.routing, rows.get(keyOf({ expertId: ALL, categoryId: ALL })), opts.now);
  const scores = new Map<number, number>();
  for (const expertId of expertIds) {
    const row = (opts.categoryId ? rows.get(keyOf({ expertId, categoryId: opts.categoryId })) : undefined) ?? rows.get(keyOf({ expertId, categoryId: ALL }));
    const sum = row ? { weightedRatings: row.weightedRatings, weights: row.weights, at: row.decayedAt.getTime() } : EMPTY_SUM;
    scores.set(expertId, scoreAt(sum, opts.now.getTime(), prior, ctx.routing.ranking.halfLifeDays));
  }
  return scores;
}
