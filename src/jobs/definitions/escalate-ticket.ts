import { z } from 'zod';
import { WORK } from '../../domain/domain-context.ts';
import { escalateTicket } from '../../domain/escalation/escalate-ticket.ts';
import { defineJob } from '../define-job.ts';
import { retryUntilDone } from './delivery-retry.ts';

/**
 * A tier's booking timeout passed (idempotent: a booked or already escalated ticket is left
 * alone). Retried like a delivery, until it succeeds: given up after the default ten
 * attempts, a ticket would stay at its tier, unseen by the next group and the managers.
 */
export const escalateTicketJob = defineJob({
  name: WORK.escalate,
  payload: z.object({ ticketId: z.number().int().positive(), tier: z.number().int().positive(), round: z.number().int().positive().default(1) }),
  options: { retryDelay: retryUntilDone },
  async handler(ctx, payload) {
    const result = await escalateTicket(ctx, payload);
    if (result.outcome !== 'stale') ctx.logger.info({ ...payload, ...result }, 'ticket escalation');
  },
});
