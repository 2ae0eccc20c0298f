import { z } from 'zod';
import { WORK } from '../../domain/domain-context.ts';
import { sendAccountEmail } from '../../mail/send-account-email.ts';
import { defineJob } from '../define-job.ts';
import { deliveryRetryDelay } from './delivery-retry.ts';

/** Emails a portal account its confirmation link, its owner that someone signed up again with it, or its password-reset link (see mail/send-account-email). */
export const accountEmail = defineJob({
  name: WORK.accountEmail,
  payload: z.object({ accountId: z.number().int().positive(), kind: z.enum(['confirm', 'already', 'reset']) }),
  options: { concurrency: 5, retryDelay: deliveryRetryDelay },
  async handler(ctx, { accountId, kind }, job) {
    await sendAccountEmail(ctx, accountId, kind, String(job.attrs._id ?? `${accountId}-${kind}`));
  },
});
