import { z } from 'zod';
import { completeBooking } from '../../domain/booking/complete-booking.ts';
import { WORK } from '../../domain/domain-context.ts';
import { storeSlackNames } from '../../domain/relay/identity.ts';
import { fetchSlackNames } from '../../slack/user-names.ts';
import { defineJob } from '../define-job.ts';
import { deliveryRetryDelay } from './delivery-retry.ts';

/**
 * The follow-up of a won booking (idempotent; see domain/booking/complete-booking). First
 * the expert's current Slack names are learnt, before the thread they will write in exists,
 * so that a message signed with their display name is scrubbed like their real name.
 */
export const completeBookingJob = defineJob({
  name: WORK.completeBooking,
  payload: z.object({ ticketId: z.number().int().positive(), expertId: z.number().int().positive(), aliasId: z.number().int().positive() }),
  options: { concurrency: 10, priority: 20, retryDelay: deliveryRetryDelay },
  async handler(ctx, payload) {
    const expert = await ctx.db.models.Expert.findByPk(payload.expertId);
    if (expert?.slackUserId && ctx.slack) {
      const names = storeSlackNames(await fetchSlackNames(ctx.slack, expert.slackUserId, (msg) => ctx.logger.warn(msg)));
      if (names && names !== expert.slackNames) await expert.update({ slackNames: names });
    }
    await completeBooking(ctx, payload);
  },
});
