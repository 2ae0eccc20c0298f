import { z } from 'zod';
import { WORK } from '../../domain/domain-context.ts';
import { fanOutHomes } from '../../domain/home/refresh-homes.ts';
import { defineJob } from '../define-job.ts';

/** Queues the publishing of the managers' Homes, or of a category's experts who look at theirs. */
export const homeFanOut = defineJob({
  name: WORK.homeFanOut,
  payload: z.object({ target: z.string().regex(/^(managers|category:\d{1,12})$/) }),
  options: { concurrency: 2 },
  async handler(ctx, { target }) {
    await fanOutHomes(ctx, target, ctx.managerSlackIds ?? []);
  },
});
