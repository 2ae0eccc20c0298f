import { z } from 'zod';
import { WORK } from '../../domain/domain-context.ts';
import { DRAFT_CONFIRM_EMAIL_KIND, DRAFT_EMAIL_KIND } from '../../domain/experts/expert-drafts.ts';
import { sendAccountEmail, sendDraftResumeEmail } from '../../mail/send-account-email.ts';
import { defineJob } from '../define-job.ts';
import { deliveryRetryDelay } from './delivery-retry.ts';

/**
 * Emails a portal account its confirmation link, its owner that someone signed up again with
 * it, or its password-reset link; or an expert application's draft its resume link, to
 * continue or to confirm its email before Submit (see mail/send-account-email).
 */
export const accountEmail = defineJob({
  name: WORK.accountEmail,
  payload: z.union([z.object({ accountId: z.number().int().positive(), kind: z.enum(['confirm', 'already', 'reset']) }), z.object({ draftId: z.number().int().positive(), kind: z.enum([DRAFT_EMAIL_KIND, DRAFT_CONFIRM_EMAIL_KIND]) })]),
  options: { concurrency: 5, retryDelay: deliveryRetryDelay },
  async handler(ctx, payload, job) {
    if ('draftId' in payload) return sendDraftResumeEmail(ctx, payload.draftId, String(job.attrs._id ?? `draft-${payload.draftId}`), payload.kind);
    await sendAccountEmail(ctx, payload.accountId, payload.kind, String(job.attrs._id ?? `${payload.accountId}-${payload.kind}`));
  },
});
