import { z } from 'zod';
import { WORK } from '../../domain/domain-context.ts';
import { PermanentZendeskError, ZendeskAccessError } from '../../zendesk/client.ts';
import { alertManagers } from '../../domain/alerts/alert-managers.ts';
import { accessRefusedNotice } from '../../zendesk/access-refused-notice.ts';
import { processZendeskEvent } from '../../zendesk/process-zendesk-event.ts';
import { parseZendeskDelivery } from '../../zendesk/webhook-payload.ts';
import { defineJob } from '../define-job.ts';
import { deliveryRetryDelay } from './delivery-retry.ts';

/**
 * Processes a stored webhook delivery once (see zendesk/webhook-route.ts). Zendesk refusing
 * Helpnet's credentials or permissions is retried with the usual backoff, and the managers
 * are told the first time it happens to a delivery; a ticket Zendesk no longer has (404)
 * ends the delivery as `ignored`, with the reason in its `error`.
 */
export const processInbound = defineJob({
  name: WORK.processInbound,
  payload: z.object({ inboundEventId: z.number().int().positive() }),
  options: { concurrency: 5, retryDelay: deliveryRetryDelay },
  async handler(ctx, { inboundEventId }) {
    const { inboundEvents } = ctx.db;
    const event = await inboundEvents.byId(inboundEventId);
    if (!event || event.processedAt) return;
    const record = (status: 'processed' | 'ignored' | 'unroutable', error: string | null = null) => inboundEvents.recordOutcome(event.id, { status, error }, ctx.now());
    // Parsed once here (the route checked it on arrival): what it is about is handed down.
    let delivery: ReturnType<typeof parseZendeskDelivery> | undefined;
    try {
      delivery = parseZendeskDelivery(JSON.parse(event.payload));
      const status = 'ticketId' in delivery ? await processZendeskEvent(ctx, delivery) : 'ignored';
      await record(status);
    } catch (err) {
      if (err instanceof PermanentZendeskError && err.status === 404) {
        const error = `${err.message}: not found (deleted, or not visible to the Helpnet Zendesk user); the delivery is not filed and not retried`;
        ctx.logger.warn({ inboundEventId, error }, 'Zendesk delivery not filed: Zendesk does not have what it is about');
        await record('ignored', error);
        return;
      }
      if (err instanceof ZendeskAccessError) {
        const zendeskTicketId = delivery && 'ticketId' in delivery ? delivery.ticketId : 0;
        const alerted = await ctx.db.unitOfWork(async (transaction) => {
          await inboundEvents.recordError(event.id, `${err.message}: Zendesk refused Helpnet's credentials or permissions; retrying`, ctx.now(), { transaction });
          return alertManagers(ctx, transaction, `zendesk-access:inbound-event:${event.id}`, { kind: 'notice', text: accessRefusedNotice(zendeskTicketId, err.status, err.message) }, { inboundEventId: event.id, zendeskTicketId });
        });
        ctx.logger.warn({ inboundEventId, zendeskTicketId, status: err.status, alerted }, 'Zendesk refused Helpnet access; the delivery will be retried');
        throw err;
      }
      await inboundEvents.recordError(event.id, (err as Error).message, ctx.now());
      throw err;
    }
  },
});
