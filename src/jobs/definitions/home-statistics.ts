import { z } from 'zod';
import { rankLeaderboard } from '../../domain/home/leaderboard.ts';
import { refreshHomes } from '../../domain/home/refresh-homes.ts';
import { refreshStatisticsSnapshots } from '../../domain/home/statistics-snapshots.ts';
import { defineJob } from '../define-job.ts';

export const HOME_STATISTICS = 'home.statistics';

/**
 * Every few minutes (see agenda.ts): ranks the experts again (domain/home/leaderboard.ts),
 * computes the statistics the managers' Home shows and keeps them
 * (domain/home/statistics-snapshots.ts); when a figure changed, the managers' Homes are
 * republished. Running it again, or late, only computes them again.
 */
export const homeStatisticsJob = defineJob({
  name: HOME_STATISTICS,
  payload: z.object({}),
  options: { concurrency: 1 },
  async handler(ctx) {
    // Scores drift with time (they decay toward the network's mean): ranked again too.
    await rankLeaderboard(ctx);
    if (!(await refreshStatisticsSnapshots(ctx))) return;
    await ctx.db.unitOfWork((transaction) => refreshHomes(ctx, transaction, { managers: true }));
  },
});
