import type { Attributes } from 'sequelize';
import type { InboundEvent } from '../db/models/inbound-event.ts';
import type { TicketUrgency } from '../db/models/ticket.ts';
import { routingSnapshot } from '../domain/routing-snapshot.ts';
import { createTicket } from '../domain/tickets/create-ticket.ts';
import type { ZendeskContext } from './zendesk-context.ts';
import { accessRefusalAsRetryable, RetryableZendeskError } from './client.ts';
import { alertManagers } from '../domain/alerts/alert-managers.ts';
import { mapZendeskCategory } from './map-category.ts';
import { parseZendeskDelivery } from './webhook-payload.ts';
import { readTicketComments, type TicketToRead } from './read-ticket-comments.ts';

const URGENCY: Record<string, TicketUrgency> = { urgent: 'high', high: 'high', normal: 'normal', low: 'low' };

/** Reads a filed ticket's new comments; Zendesk refusing access there is retried too. */
async function readComments(ctx: ZendeskContext, ticket: TicketToRead): Promise<void> {
  try {
    await readTicketComments(ctx, ticket);
  } catch (err) {
    throw accessRefusalAsRetryable(err);
  }
}

/**
 * Processes a stored Zendesk delivery: reads the ticket from Zendesk (the webhook only says
 * "ticket X changed"), and files it in Helpnet if it is not there yet; for a ticket already
 * filed, reads the customer's new comments into the relay. A ticket no category matches,
 * with no default category, is not filed: the delivery is marked `unroutable` and, the
 * first time for that Zendesk ticket, the managers are alerted, in one transaction. A later
 * delivery about the ticket tries again (so a routing fix files it at its next change).
 * Zendesk refusing access (401/403) throws ZendeskAccessError (retried); a 404 throws
 * PermanentZendeskError.
 */
export async function processZendeskEvent(ctx: ZendeskContext, event: Pick<Attributes<InboundEvent>, 'id' | 'payload'>): Promise<'processed' | 'ignored' | 'unroutable'> {
  const delivery = parseZendeskDelivery(JSON.parse(event.payload));
  if (!('ticketId' in delivery)) return 'ignored';
  const { sql, models } = ctx.db;
  const filed = await sql.selectOne(models.Ticket, "source = 'zendesk' AND external_id = ?", [String(delivery.ticketId)]);
  if (filed) {
    // Already filed: the change is most likely a comment from the customer.
    await readComments(ctx, filed);
    return 'processed';
  }
  if (!ctx.zendesk) throw new RetryableZendeskError('Zendesk is not configured', 10 * 60_000);
  const zd = await ctx.zendesk.getTicket(delivery.ticketId);
  if (['solved', 'closed'].includes(zd.status)) return 'ignored';
  const categories = (await routingSnapshot(ctx)).byKey;
  const active = new Set([...categories.values()].filter((c) => c.active).map((c) => c.key));
  const match = mapZendeskCategory(ctx.routing, zd, active);
  if (!match) {
    await ctx.db.unitOfWork(async (transaction) => {
      await alertManagers(
        ctx,
        transaction,
        `unroutable:zendesk-ticket:${zd.id}`,
        { kind: 'unroutable', source: 'Zendesk', reference: `ticket #${zd.id}`, reason: `no category matches its tags (${zd.tags.join(', ') || 'none'})` },
        { zendeskTicketId: zd.id, inboundEventId: event.id },
      );
      await sql.update(models.InboundEvent, { status: 'unroutable', processedAt: ctx.now(), error: null }, 'id = ? AND processed_at IS NULL', [event.id], { transaction });
    });
    return 'unroutable';
  }
  const category = categories.get(match.key)!;
  const requester = zd.requester?.id === zd.requester_id ? zd.requester : await ctx.zendesk.getUser(zd.requester_id);
  const { ticket, created } = await createTicket(ctx, {
    source: 'zendesk',
    externalId: String(zd.id),
    categoryId: category.id,
    subject: zd.subject,
    description: zd.description,
    urgency: URGENCY[zd.priority ?? 'normal'] ?? 'normal',
    // The ticket's organization is the requester's company: scrubbed as "(company)".
    customer: { name: requester.name, email: requester.email, phone: requester.phone, company: zd.organization?.name ?? null, zendeskUserId: String(requester.id) },
  });
  // Another delivery filed it meanwhile: this one may be about a comment that delivery did
  // not read, so read them as for a ticket already filed.
  if (!created) await readComments(ctx, ticket);
  return 'processed';
}
