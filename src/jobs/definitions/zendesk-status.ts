import { z } from 'zod';
import { WORK } from '../../domain/domain-context.ts';
import { syncTicketStatus } from '../../zendesk/sync-ticket-status.ts';
import { defineJob } from '../define-job.ts';
import { deliveryRetryDelay } from './delivery-retry.ts';

/** Sets a Zendesk ticket's status to match its Helpnet ticket (see zendesk/sync-ticket-status). */
export const zendeskStatus = defineJob({
  name: WORK.zendeskStatus,
  payload: z.object({ ticketId: z.number().int().positive() }),
  options: { retryDelay: deliveryRetryDelay },
  async handler(ctx, { ticketId }) {
    await syncTicketStatus(ctx, ticketId);
  },
});
