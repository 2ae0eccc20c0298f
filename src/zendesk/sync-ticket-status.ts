import { RetryableZendeskError } from './client.ts';
import type { ZendeskContext } from './zendesk-context.ts';

/** The Zendesk status a Helpnet ticket's state calls for, if any: pending while its survey waits, solved once closed. */
export function zendeskStatusOf(status: string): 'pending' | 'solved' | undefined {
  if (status === 'close_pending') return 'pending';
  if (status === 'closed') return 'solved';
  return undefined;
}

/**
 * Sets the Zendesk ticket's status to what the Helpnet ticket's state is now: read when the
 * job runs, not when it was queued, so a late retry of "pending" never reopens a ticket
 * that has closed since.
 */
export async function syncTicketStatus(ctx: ZendeskContext, ticketId: number): Promise<void> {
  const ticket = await ctx.db.tickets.byId(ticketId);
  if (!ticket || ticket.source !== 'zendesk' || !ticket.externalId) return;
  const status = zendeskStatusOf(ticket.status);
  if (!status) return;
  if (!ctx.zendesk) throw new RetryableZendeskError('Zendesk is not configured', 10 * 60_000);
  await ctx.zendesk.setStatus(Number(ticket.externalId), status);
}
