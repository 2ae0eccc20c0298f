import { z } from 'zod';
import { WORK } from '../../domain/domain-context.ts';
import { SLACK_USER_ID } from '../../domain/home/home-data.ts';
import { publishHome } from '../../slack/home/publish-home.ts';
import { defaultRetryDelay, defineJob } from '../define-job.ts';

/**
 * Publishes one viewer's App Home (coalesced per viewer: see domain/home/refresh-homes.ts).
 * A Home is only ever a view of the current state, so a publishing that keeps failing is
 * given up after a few tries: the next change, or the viewer opening it, publishes afresh.
 */
export const homePublish = defineJob({
  name: WORK.homePublish,
  payload: z.object({ viewer: z.string().regex(SLACK_USER_ID) }),
  options: { concurrency: 5, retryDelay: (attempt, error) => (attempt > 5 ? null : defaultRetryDelay(attempt, error)) },
  async handler(ctx, { viewer }) {
    await publishHome(ctx, viewer);
  },
});
