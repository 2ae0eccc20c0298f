import { z } from 'zod';
import { WORK } from '../../domain/domain-context.ts';
import { storedCategory } from '../../domain/routing-snapshot.ts';
import { ticketPublicId } from '../../domain/tickets/ticket-public-id.ts';
import { RetryableZendeskError } from '../../zendesk/client.ts';
import { sameText } from '../../zendesk/send-ticket-comments.ts';
import { defineJob } from '../define-job.ts';
import { deliveryRetryDelay } from './delivery-retry.ts';

/**
 * Tells the ticket's source where it went: an internal (private) note on the Zendesk ticket,
 * "Helpnet HN-12: routed to MS Exchange experts". Once per ticket: the attempt is marked
 * before the note is sent, and an attempt after one whose answer never came (a time-out, a
 * crash) first looks for the note on the ticket.
 */
export const noteSource = defineJob({
  name: WORK.noteSource,
  payload: z.object({ ticketId: z.number().int().positive() }),
  options: { retryDelay: deliveryRetryDelay },
  async handler(ctx, { ticketId }) {
    const { tickets } = ctx.db;
    const ticket = await tickets.byId(ticketId);
    if (!ticket || ticket.sourceNotedAt || ticket.source !== 'zendesk' || !ticket.externalId) return;
    const zendesk = ctx.zendesk;
    if (!zendesk) throw new RetryableZendeskError('Zendesk is not configured', 10 * 60_000);
    const zendeskTicketId = Number(ticket.externalId);
    const category = await storedCategory(ctx, ticket.categoryId);
    const note = `Helpnet ${ticketPublicId(ticket.id)}: routed to ${category?.name ?? 'the'} experts.`;
    const noted = () => tickets.markSourceNoted(ticket.id, ctx.now());
    if (ticket.sourceNoteUnconfirmedAt) {
      const [me, comments] = await Promise.all([zendesk.me(), zendesk.getComments(zendeskTicketId)]);
      if (comments.some((c) => c.author_id === me.id && !c.public && sameText(c.body, note))) {
        await noted();
        return;
      }
    }
    await tickets.markSourceNoteUnconfirmed(ticket.id, ctx.now());
    await zendesk.addComment(zendeskTicketId, note, 'internal');
    await noted();
  },
});
