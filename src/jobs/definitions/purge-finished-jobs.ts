import { QueryTypes } from 'sequelize';
import { z } from 'zod';
import { defineJob } from '../define-job.ts';

export const PURGE_FINISHED_JOBS = 'jobs.purge-finished';

/**
 * Deletes one-off jobs that finished (or finally failed) more than `keepDays` ago, so the
 * jobs table does not grow without end. Repeating jobs and anything still due are kept.
 */
export const purgeFinishedJobs = defineJob({
  name: PURGE_FINISHED_JOBS,
  payload: z.object({ keepDays: z.number().positive().default(7) }),
  async handler(ctx, { keepDays }) {
    const before = Date.now() - keepDays * 24 * 60 * 60 * 1000;
    const removed = (await ctx.db.sequelize.query(
      `DELETE FROM agenda_jobs
       WHERE type = 'normal' AND next_run_at IS NULL AND locked_at IS NULL
         AND COALESCE(last_finished_at, failed_at, updated_at) < ?`,
      { replacements: [before], type: QueryTypes.BULKDELETE },
    )) as unknown as number;
    if (removed > 0) ctx.logger.info({ removed, keepDays }, 'purged finished jobs');
  },
});
