import { z } from 'zod';
import { WORK } from '../../domain/domain-context.ts';
import { storedCategory } from '../../domain/routing-snapshot.ts';
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
    const ticket = await sql.selectOne(models.Ticket, 'id = ?', [ticketId]);
    if (!ticket || ticket.sourceNotedAt || ticket.source !== 'zendesk' || !ticket.externalId) return;
    if (!ctx.zendesk) throw new RetryableZendeskError('Zendesk is not configured', 10 * 60_000);
    const category = await storedCategory(ctx, ticket.categoryId);
    await ctx.zendesk.addComment(Number(ticket.externalId), `Helpnet ${ticketPublicId(ticket.id)}: routed to ${category?.name ?? 'the'} experts.`, 'internal');
    await sql.update(models.Ticket, { sourceNotedAt: ctx.now() }, 'id = ? AND source_noted_at IS NULL', [ticket.id]);
  },
});
