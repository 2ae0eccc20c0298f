import { z } from 'zod';
import { WORK } from '../../domain/domain-context.ts';
import { updateSlackMessage } from '../../slack/delivery/deliver-slack-message.ts';
import { defineJob } from '../define-job.ts';
import { deliveryRetryDelay } from './delivery-retry.ts';

/** Re-renders one posted Slack message from the current state of its ticket. */
export const slackUpdate = defineJob({
  name: WORK.slackUpdate,
  payload: z.object({ messageId: z.number().int().positive() }),
  options: { concurrency: 10, retryDelay: deliveryRetryDelay },
  async handler(ctx, { messageId }) {
    await updateSlackMessage(ctx, messageId);
  },
});
