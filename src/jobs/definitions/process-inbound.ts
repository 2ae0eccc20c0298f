import { z } from 'zod';
import { WORK } from '../../domain/domain-context.ts';
import { processZendeskEvent } from '../../zendesk/process-zendesk-event.ts';
import { defineJob } from '../define-job.ts';
import { deliveryRetryDelay } from './delivery-retry.ts';

/** Processes a stored webhook delivery once (see zendesk/webhook-route.ts). */
export const processInbound = defineJob({
  name: WORK.processInbound,
  payload: z.object({ inboundEventId: z.number().int().positive() }),
  options: { concurrency: 5, retryDelay: deliveryRetryDelay },
  async handler(ctx, { inboundEventId }) {
    const { InboundEvent } = ctx.db.models;
    const event = await InboundEvent.findByPk(inboundEventId);
    if (!event || event.processedAt) return;
    try {
      const status = await processZendeskEvent(ctx, event);
      await InboundEvent.update({ status, processedAt: ctx.now(), error: null }, { where: { id: event.id, processedAt: null } });
    } catch (err) {
      await event.update({ error: (err as Error).message });
      throw err;
    }
  },
});
