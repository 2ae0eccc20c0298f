import { z } from 'zod';
import { WORK } from '../../domain/domain-context.ts';
import { sendTicketComments } from '../../zendesk/send-ticket-comments.ts';
import { defineJob } from '../define-job.ts';
import { deliveryRetryDelay } from './delivery-retry.ts';

/** Sends a Zendesk ticket's waiting relayed messages as public comments (see zendesk/send-ticket-comments). */
export const relayZendesk = defineJob({
  name: WORK.relayZendesk,
  payload: z.object({ ticketId: z.number().int().positive() }),
  options: { concurrency: 40, retryDelay: deliveryRetryDelay, priority: 10 },
  async handler(ctx, { ticketId }) {
    await sendTicketComments(ctx, ticketId);
  },
});
