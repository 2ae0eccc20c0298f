import { z } from 'zod';
import { WORK } from '../../domain/domain-context.ts';
import { postSlackMessage } from '../../slack/delivery/deliver-slack-message.ts';
import { defineJob, type JobContext } from '../define-job.ts';
import { deliveryRetryDelay } from './delivery-retry.ts';

export const deliveryDeps = (ctx: JobContext) => ({
  db: ctx.db,
  slack: ctx.slack,
  logger: ctx.logger,
  managersChannel: ctx.routing.managersChannel,
  schedulePost: (transaction: Parameters<typeof ctx.outbox.add>[0], messageId: number) => ctx.outbox.add(transaction, WORK.slackPost, { messageId }),
});

/** Posts one recorded Slack message (see slack/delivery). */
export const slackPost = defineJob({
  name: WORK.slackPost,
  payload: z.object({ messageId: z.number().int().positive() }),
  options: { concurrency: 10, retryDelay: deliveryRetryDelay, priority: 10 },
  async handler(ctx, { messageId }) {
    await postSlackMessage(deliveryDeps(ctx), messageId);
  },
});
