import { z } from 'zod';
import { WORK } from '../../domain/domain-context.ts';
import { postSlackMessage } from '../../slack/delivery/deliver-slack-message.ts';
import { defineJob } from '../define-job.ts';
import { deliveryRetryDelay } from './delivery-retry.ts';

/** Posts one recorded Slack message (see slack/delivery). */
export const slackPost = defineJob({
  name: WORK.slackPost,
  payload: z.object({ messageId: z.number().int().positive() }),
  options: { concurrency: 10, retryDelay: deliveryRetryDelay, priority: 10 },
  async handler(ctx, { messageId }) {
    await postSlackMessage(ctx, messageId);
  },
});
