import type { TicketUrgency } from '../db/models/ticket.ts';
import { routingSnapshot } from '../domain/routing-snapshot.ts';
import { fileTicket } from '../domain/tickets/file-ticket.ts';
import type { ZendeskContext } from './zendesk-context.ts';
import { accessRefusalAsRetryable, RetryableZendeskError } from './client.ts';
import { mapZendeskCategory } from './map-category.ts';
import type { ZendeskDelivery } from './webhook-payload.ts';
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
 * Processes a Zendesk delivery ("ticket X changed", parsed from its stored body): reads the
 * ticket from Zendesk, and files it in Helpnet if it is not there yet (see fileTicket:
 * a ticket no category matches, with no default category, is not filed, and the managers
 * are alerted the first time for that Zendesk ticket: `unroutable`); for a ticket already
 * filed, reads the customer's new comments into the relay. Zendesk refusing access
 * (401/403) throws ZendeskAccessError (retried); a 404 throws PermanentZendeskError.
 */
export async function processZendeskEvent(ctx: ZendeskContext, delivery: ZendeskDelivery): Promise<'processed' | 'ignored' | 'unroutable'> {
  const filed = await ctx.db.tickets.byExternalId('zendesk', String(delivery.ticketId));
  if (filed) {
    // Already filed: the change is most likely a comment from the customer.
    await readComments(ctx, filed);
    return 'processed';
  }
  if (!ctx.zendesk) throw new RetryableZendeskError('Zendesk is not configured', 10 * 60_000);
  const zd = await ctx.zendesk.getTicket(delivery.ticketId);
  if (['solved', 'closed'].includes(zd.status)) return 'ignored';
  const active = new Set([...(await routingSnapshot(ctx)).byKey.values()].filter((c) => c.active).map((c) => c.key));
  const match = mapZendeskCategory(ctx.routing, zd, active);
  // The requester is read only for a ticket a category takes (it usually comes side-loaded).
  const requester = !match ? null : zd.requester?.id === zd.requester_id ? zd.requester : await ctx.zendesk.getUser(zd.requester_id);
  const filing = await fileTicket(ctx, {
    source: 'zendesk',
    externalId: String(zd.id),
    categoryKey: match?.key,
    categoryNamedBy: `its tags (${zd.tags.join(', ') || 'none'})`,
    subject: zd.subject,
    description: zd.description,
    urgency: URGENCY[zd.priority ?? 'normal'] ?? 'normal',
    // The ticket's organization is the requester's company: scrubbed as "(company)".
    customer: requester ? { name: requester.name, email: requester.email, phone: requester.phone, company: zd.organization?.name ?? null, zendeskUserId: String(requester.id) } : {},
  });
  if (filing.outcome !== 'filed') return 'unroutable';
  // Another delivery filed it meanwhile: this one may be about a comment that delivery did
  // not read, so read them as for a ticket already filed.
  if (!filing.created) await readComments(ctx, filing.ticket);
  return 'processed';
}
