import type { AllMiddlewareArgs, SlackViewMiddlewareArgs } from '@slack/bolt';
import { resolveTicket } from '../../../domain/booking/resolve-ticket.ts';
import { parseTicketPublicId } from '../../../domain/tickets/ticket-public-id.ts';
import type { SlackContext } from '../../slack-context.ts';
import { NOTES_MAX } from '../../blocks/ticket-resolve-modal.ts';

type Args = SlackViewMiddlewareArgs & AllMiddlewareArgs;

/**
 * The `ticket.resolve` modal was submitted: the ticket waits for the customer's survey
 * (`close_pending`). A problem — no notes, or the ticket is no longer the expert's — is
 * shown on the notes field.
 */
export function ticketResolveSubmission(services: SlackContext) {
  return async ({ ack, view, body }: Args): Promise<void> => {
    const notes = String((view.state.values as Record<string, Record<string, { value?: string | null }>>).notes?.value?.value ?? '').trim();
    if (notes.length < 3 || notes.length > NOTES_MAX) {
      await ack({ response_action: 'errors', errors: { notes: `Please write between 3 and ${NOTES_MAX} characters.` } });
      return;
    }
    const ticketId = parseTicketPublicId(view.private_metadata);
    const expert = await services.db.experts.bySlackId(body.user.id);
    const outcome = ticketId === undefined || !expert ? 'not_found' : await resolveTicket(services, { ticketId, expertId: expert.id, notes });
    if (outcome === 'resolved') {
      await ack();
      return;
    }
    const why = outcome === 'closed' ? 'This ticket is already resolved.' : 'This ticket is no longer yours to resolve.';
    await ack({ response_action: 'errors', errors: { notes: why } });
  };
}
