import { z } from 'zod';
import { WORK } from '../../domain/domain-context.ts';
import { sendMessageEmail } from '../../mail/send-message-email.ts';
import { defineJob } from '../define-job.ts';
import { deliveryRetryDelay } from './delivery-retry.ts';

/** Emails a widget customer one new message on their ticket (see mail/send-message-email). */
export const relayEmail = defineJob({
  name: WORK.relayEmail,
  payload: z.object({ deliveryId: z.number().int().positive() }),
  options: { concurrency: 5, retryDelay: deliveryRetryDelay },
  async handler(ctx, { deliveryId }) {
    await sendMessageEmail(ctx, deliveryId);
  },
});
