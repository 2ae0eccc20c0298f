import type { AllMiddlewareArgs, SlackViewMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import { TICKET_URGENCIES } from '../../../db/models/ticket.ts';
import { fileTicket, type FilingOutcome } from '../../../domain/tickets/file-ticket.ts';
import type { SlackContext } from '../../slack-context.ts';
import { DESCRIPTION_MAX, DESCRIPTION_MIN } from '../../blocks/ticket-create-modal.ts';
import { escapeMrkdwn } from '../../../lib/mrkdwn.ts';

type Args = SlackViewMiddlewareArgs & AllMiddlewareArgs;

const selected = (values: Record<string, Record<string, { selected_option?: { value?: string } | null; value?: string | null }>>, block: string) =>
  values[block]?.value?.selected_option?.value ?? values[block]?.value?.value ?? undefined;

const submission = z.object({
  category: z.string({ error: 'Choose a category.' }).min(1, 'Choose a category.'),
  description: z
    .string({ error: 'Describe the problem.' })
    .trim()
    .min(DESCRIPTION_MIN, `Please write at least ${DESCRIPTION_MIN} characters, so an expert can help.`)
    .max(DESCRIPTION_MAX, `Please keep it under ${DESCRIPTION_MAX} characters.`),
  urgency: z.enum(TICKET_URGENCIES).default('normal'),
});

/**
 * The `ticket.create` modal was submitted: errors go back onto the fields; a valid ticket
 * is filed (once per modal, however often Slack retries), then dispatched and confirmed by
 * DM once the requester's Slack profile is read (see jobs/definitions/read-requester-profile).
 */
export function ticketCreateSubmission(services: SlackContext) {
  return async ({ ack, view, body, client, logger }: Args): Promise<void> => {
    const values = view.state.values as Parameters<typeof selected>[0];
    const parsed = submission.safeParse({ category: selected(values, 'category'), description: selected(values, 'description'), urgency: selected(values, 'urgency') });
    const errors: Record<string, string> = {};
    if (!parsed.success) for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message;
    if (Object.keys(errors).length > 0 || !parsed.success) {
      await ack({ response_action: 'errors', errors });
      return;
    }
    // Only the database before Slack hears back (Bolt answers once this returns): the
    // requester's profile is read by the job that then dispatches the ticket.
    let filing: FilingOutcome;
    try {
      filing = await fileTicket(services, {
        source: 'slack',
        externalId: view.id,
        categoryKey: parsed.data.category,
        description: parsed.data.description,
        urgency: parsed.data.urgency,
        customer: { slackUserId: body.user.id },
        awaitRequesterContact: true,
      });
    } catch (err) {
      await ack();
      // The modal has closed: the requester must hear of it, with what they wrote to file it again.
      logger.error(`filing a ticket from /helpnet failed: ${String(err)}`);
      await client.chat
        .postMessage({ channel: body.user.id, text: filingFailed(parsed.data.description) })
        .catch((e: unknown) => logger.error(`could not tell the requester either: ${String(e)}`));
      return;
    }
    if (filing.outcome !== 'filed') await ack({ response_action: 'errors', errors: { category: 'That category is no longer offered. Choose another.' } });
    else await ack();
  };
}

/** What a requester is told when their ticket could not be stored, with their text to paste again. */
export function filingFailed(description: string): string {
  const quoted = escapeMrkdwn(description)
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
  return `:warning: Sorry — your ticket could not be filed because of a problem on our side. Please run \`/helpnet\` again in a minute; here is what you wrote, to paste:\n${quoted}`;
}
