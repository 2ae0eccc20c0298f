import { z } from 'zod';
import { WORK } from '../../domain/domain-context.ts';
import { ticketPublicId } from '../../domain/tickets/ticket-public-id.ts';
import { RetryableZendeskError } from '../../zendesk/client.ts';
import { defineJob } from '../define-job.ts';
import { deliveryRetryDelay } from './delivery-retry.ts';

/**
 * Tells the ticket's source where it went: an internal (private) note on the Zendesk ticket,
 * "Helpnet HN-12: routed to MS Exchange experts". Once per ticket.
 */
export const noteSource = defineJob({
  name: WORK.noteSource,
  payload: z.object({ ticketId: z.number().int().positive() }),
  options: { retryDelay: deliveryRetryDelay },
  async handler(ctx, { ticketId }) {
    const { sql, models } = ctx.db;
    const [ticket] = await sql.query<{ id: number; source: string; external_id: string | null; source_noted_at: unknown; category_name: string | null }>(
      'SELECT t.id, t.source, t.external_id, t.source_noted_at, c.name AS category_name FROM tickets t LEFT JOIN categories c ON c.id = t.category_id WHERE t.id = ?',
      [ticketId],
    );
    if (!ticket || ticket.source_noted_at !== null || ticket.source !== 'zendesk' || !ticket.external_id) return;
    if (!ctx.zendesk) throw new RetryableZendeskError('Zendesk is not configured', 10 * 60_000);
    await ctx.zendesk.addComment(Number(ticket.external_id), `Helpnet ${ticketPublicId(ticket.id)}: routed to ${ticket.category_name ?? 'the'} experts.`, 'internal');
    await sql.update(models.Ticket, { sourceNotedAt: ctx.now() }, 'id = ? AND source_noted_at IS NULL', [ticket.id]);
  },
});
