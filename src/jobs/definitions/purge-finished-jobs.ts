import { z } from 'zod';
import { deleteFinishedJobs } from '../sequelize-backend/delete-finished-jobs.ts';
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
    const removed = await deleteFinishedJobs(ctx.db.sequelize, new Date(ctx.now().getTime() - keepDays * 24 * 60 * 60 * 1000));
    if (removed > 0) ctx.logger.info({ removed, keepDays }, 'purged finished jobs');
  },
});
