import { z } from 'zod';
import type { ContactUpdate } from '../../domain/customers/rules.ts';
import { WORK } from '../../domain/domain-context.ts';
import { dispatchFiledTicket } from '../../domain/tickets/dispatch-filed-ticket.ts';
import { fetchSlackProfile } from '../../slack/user-names.ts';
import { defineJob } from '../define-job.ts';
import { deliveryRetryDelay } from './delivery-retry.ts';

/** Runs of users.info that may fail and be retried before the ticket is dispatched without the profile. */
export const PROFILE_ATTEMPTS = 3;

/**
 * A /helpnet ticket was filed open (the modal is answered from the database alone, within
 * Slack's 3 seconds): reads the requester's Slack profile — names, email, phone — stores
 * it, and only then dispatches the ticket and writes the requester's confirmation (see
 * dispatchFiledTicket), so nothing about it reaches Slack unscrubbed. Slack refusing to
 * describe the user for good dispatches it at once with a warning; a failure that may pass
 * is retried with the usual backoff, but only PROFILE_ATTEMPTS times in all, so a ticket
 * never waits long on a profile. Idempotent: a ticket already dispatched is left alone.
 */
export const readRequesterProfileJob = defineJob({
  name: WORK.readRequesterProfile,
  payload: z.object({ ticketId: z.number().int().positive() }),
  options: { concurrency: 10, priority: 20, retryDelay: deliveryRetryDelay },
  async handler(ctx, { ticketId }, job) {
    const ticket = await ctx.db.tickets.byId(ticketId);
    if (!ticket || ticket.status !== 'open') return;
    const customer = await ctx.db.models.Customer.findByPk(ticket.customerId, { attributes: ['slackUserId'] });
    let contact: ContactUpdate | undefined;
    if (customer?.slackUserId && ctx.slack) {
      try {
        const profile = await fetchSlackProfile(ctx.slack, customer.slackUserId, (msg) => ctx.logger.warn({ ticketId }, msg));
        if (profile) contact = { name: profile.name, email: profile.email, phone: profile.phone, slackNames: profile.names };
      } catch (err) {
        const attempt = (job.attrs.failCount ?? 0) + 1;
        if (attempt < PROFILE_ATTEMPTS) throw err;
        ctx.logger.warn({ ticketId, err, attempt }, "users.info kept failing: the ticket is dispatched without the requester's Slack profile");
      }
    }
    await dispatchFiledTicket(ctx, ticketId, contact);
  },
});
