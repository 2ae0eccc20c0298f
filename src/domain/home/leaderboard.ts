import { ALL } from '../../db/models/ranking-sum.ts';
import { keyOf, type RankingSumRow } from '../../db/repositories/ranking.ts';
import type { ScoreTerms } from '../../db/repositories/home.ts';
import type { DomainContext } from '../domain-context.ts';
import { priorOf } from '../ranking/scores.ts';

type LeaderboardContext = Pick<DomainContext, 'db' | 'now' | 'routing'>;

/**
 * Older than this, a Home ranks the experts itself before reading the leaderboard (the
 * server was down, or it is the first start); the managers' fan-out and the 5-minute
 * statistics job rank them otherwise.
 */
const STALE_AFTER_MS = 15 * 60_000;

/** The ranking's prior now, from the network's sums (one read), as the score SQL needs it. */
export async function scoreTerms(ctx: LeaderboardContext, now: Date): Promise<ScoreTerms> {
  const network: RankingSumRow | undefined = (await ctx.db.ranking.read([{ expertId: ALL, categoryId: ALL }])).get(keyOf({ expertId: ALL, categoryId: ALL }));
  const prior = priorOf(ctx.routing, network, now);
  return { now, priorMean: prior.mean, priorWeight: prior.weight, halfLifeDays: ctx.routing.ranking.halfLifeDays };
}

/**
 * Ranks the approved experts by their score now and keeps the order (leaderboard_positions).
 * A score decays with time, so ordering experts by it means reading them all: done here, in
 * the background (before the managers' Homes are published, and every 5 minutes), so a Home
 * reads a page of the kept order instead of scoring every expert.
 */
export async function rankLeaderboard(ctx: LeaderboardContext): Promise<number> {
  const terms = await scoreTerms(ctx, ctx.now());
  return ctx.db.unitOfWork((transaction) => ctx.db.home.rankExperts(terms, { transaction }));
}

/** Ranks the experts now if they never were or not lately (see STALE_AFTER_MS). */
export async function ensureLeaderboardRanked(ctx: LeaderboardContext, now: Date): Promise<void> {
  const at = await ctx.db.home.rankedAt();
  if (at && now.getTime() - at.getTime() < STALE_AFTER_MS) return;
  // None kept may also mean no approved expert: ranking them again is then one short read.
  await rankLeaderboard(ctx);
}
