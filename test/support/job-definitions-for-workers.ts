import { QueryTypes } from 'sequelize';
import { z } from 'zod';
import { defineJob, type JobContext } from '../../src/jobs/define-job.ts';

/** Jobs for the multi-process tests. They record their runs in `job_runs` (made by the test). */
const record = (ctx: JobContext, n: number, phase: string) =>
  ctx.db.sequelize.query('INSERT INTO job_runs (job_n, phase, pid) VALUES (?, ?, ?)', { replacements: [n, phase, process.pid], type: QueryTypes.INSERT });

export const countRun = defineJob({
  name: 'count.run',
  payload: z.object({ n: z.number() }),
  options: { concurrency: 10 },
  async handler(ctx, { n }) {
    await record(ctx, n, 'ran');
  },
});

/** Takes SLOW_JOB_MS; its claim lasts SLOW_JOB_LOCK_MS. */
export const slowRun = defineJob({
  name: 'slow.run',
  payload: z.object({ n: z.number() }),
  options: { lockLifetime: Number(process.env.SLOW_JOB_LOCK_MS ?? 2000) },
  async handler(ctx, { n }) {
    await record(ctx, n, 'started');
    await new Promise((ok) => setTimeout(ok, Number(process.env.SLOW_JOB_MS ?? 1000)));
    await record(ctx, n, 'finished');
  },
});
