import { randomUUID } from 'node:crypto';
import { dropLease, extendLease, takeLease } from '../db/lease.ts';
import { retryOnDeadlock } from '../db/retry-deadlock.ts';
import type { TicketMessage } from '../db/models/ticket-message.ts';
import { Sql } from '../db/sql.ts';
import { expertLabel } from '../domain/relay/labels.ts';
import type { JobContext } from '../jobs/define-job.ts';
import { NotReadyError } from '../lib/not-ready-error.ts';
import { PermanentZendeskError, RetryableZendeskError, type ZendeskClient } from './client.ts';

const LEASE_MS = 60_000;
/** Zendesk allows 30 updates of one ticket per 10 minutes; keep two for everyone else. */
export const UPDATE_WINDOW_MS = 10 * 60_000;
export const UPDATES_PER_WINDOW = 28;

/** One public comment for messages sent together: each under its sender's label, in order. */
export function composeComment(messages: Pick<TicketMessage, 'side' | 'aliasName' | 'body'>[]): string {
  const parts: string[] = [];
  let lastLabel: string | null | undefined;
  for (const m of messages) {
    const label = m.side === 'expert' ? expertLabel(m.aliasName ?? '') : null;
    parts.push(label && label !== lastLabel ? `${label}:\n${m.body}` : m.body);
    lastLabel = label;
  }
  return parts.join('\n\n');
}

const sameText = (a: string, b: string) => a.replace(/\s+/g, ' ').trim() === b.replace(/\s+/g, ' ').trim();

/** A delivery waiting to go to Zendesk, with its message. */
interface WaitingRow {
  id: number;
  status: 'pending' | 'sending';
  batch_key: string | null;
  side: TicketMessage['side'];
  alias_name: string | null;
  body: string;
  external_id: string | null;
}

/**
 * Sends a Zendesk ticket's waiting messages as public comments by the integration user. One
 * worker at a time holds the ticket (a lease), so comments keep their order; everything
 * waiting goes out as one comment, which is how bursts stay within Zendesk's per-ticket
 * update limit — past the budget, the job waits for the window to move and then sends all
 * that piled up. A batch is marked before it is sent; if the sender died after Zendesk took
 * it, the next run finds the comment and does not send it again.
 */
export async function sendTicketComments(ctx: JobContext, ticketId: number): Promise<void> {
  const { sql, models } = ctx.db;
  const { Ticket } = models;
  // From here on, a new message queues a job of its own (see routeMessage); those written
  // before are visible to the reads below (this waits for their transactions to commit).
  await retryOnDeadlock(() => sql.update(Ticket, { zendeskRelayDueAt: null }, 'id = ?', [ticketId]));
  // What waits, with the messages and the Zendesk ticket, in one read.
  const readWaiting = () =>
    sql.query<WaitingRow>(
      `SELECT d.id, d.status, d.batch_key, m.side, m.alias_name, m.body, t.external_id
         FROM message_deliveries d JOIN ticket_messages m ON m.id = d.message_id JOIN tickets t ON t.id = d.ticket_id
        WHERE d.ticket_id = ? AND d.channel = 'zendesk' AND d.status IN ('pending', 'sending') ORDER BY m.id ASC`,
      [ticketId],
    );
  for (;;) {
    const seen = await readWaiting();
    if (seen.length === 0) return;
    const zendesk = ctx.zendesk;
    if (!zendesk) throw new RetryableZendeskError('Zendesk is not configured', 10 * 60_000);
    const externalId = seen[0]!.external_id;
    if (!externalId) return;
    const lease = await takeLease(sql, Ticket, ticketId, 'zendeskRelayLeaseUntil', LEASE_MS);
    if (!lease) {
      // Held by another worker sending, or kept through a wait Zendesk asked for: try when it ends.
      const heldUntil = (await sql.selectOne(Ticket, 'id = ?', [ticketId]))?.zendeskRelayLeaseUntil;
      throw new NotReadyError('another worker is sending this ticket’s comments, or Zendesk asked to wait', Math.max(250, (heldUntil?.getTime() ?? 0) - Date.now()));
    }
    let keep: Date | undefined;
    try {
      // Read again under the lease: a worker that held it before may have sent some.
      const waiting = await readWaiting();
      const sending = waiting.filter((w) => w.status === 'sending');
      if (sending.length > 0) await finishUnconfirmedBatches(ctx, zendesk, ticketId, Number(externalId), sending);
      await sendWaiting(ctx, zendesk, ticketId, Number(externalId), waiting.filter((w) => w.status === 'pending'));
    } catch (err) {
      // A wait Zendesk asked for (429 Retry-After) applies to the ticket, not just this job:
      // keeping the lease until then holds off every other sender too. (The update budget
      // needs no such hold: every sender reads it from the deliveries.)
      if (err instanceof RetryableZendeskError && err.retryAfterMs) keep = new Date(Date.now() + err.retryAfterMs);
      throw err;
    } finally {
      if (keep) await extendLease(sql, Ticket, ticketId, 'zendeskRelayLeaseUntil', lease, keep);
      else await dropLease(sql, Ticket, ticketId, 'zendeskRelayLeaseUntil', lease);
    }
  }
}

const asMessage = (w: Pick<WaitingRow, 'side' | 'alias_name' | 'body'>) => ({ side: w.side, aliasName: w.alias_name, body: w.body });

async function markDelivered(ctx: JobContext, batchKey: string): Promise<void> {
  const now = ctx.now();
  await ctx.db.sql.update(ctx.db.models.MessageDelivery, { status: 'delivered', deliveredAt: now, lastError: null }, "batch_key = ? AND status = 'sending'", [batchKey], { now });
}

/**
 * Batches marked as being sent by a run that did not finish: sent already, or send now.
 * Sent already means Zendesk has more comments by Helpnet with that text than batches with
 * that text are recorded as delivered — an earlier, identical message ("Thanks!") is not
 * mistaken for this one.
 */
async function finishUnconfirmedBatches(ctx: JobContext, zendesk: ZendeskClient, ticketId: number, zendeskTicketId: number, sending: WaitingRow[]): Promise<void> {
  const me = await zendesk.me();
  const mine = (await zendesk.getComments(zendeskTicketId)).filter((c) => c.author_id === me.id && c.public);
  for (const batchKey of [...new Set(sending.map((d) => d.batch_key!))]) {
    const body = composeComment(sending.filter((d) => d.batch_key === batchKey).map(asMessage));
    const inZendesk = mine.filter((c) => sameText(c.body, body)).length;
    const landed = inZendesk > 0 && inZendesk > (await deliveredBatchesReading(ctx, ticketId, body));
    if (!landed) await send(ctx, zendesk, zendeskTicketId, batchKey, body);
    await markDelivered(ctx, batchKey);
  }
}

/** How many of the ticket's delivered Zendesk batches made a comment reading `body`. */
async function deliveredBatchesReading(ctx: JobContext, ticketId: number, body: string): Promise<number> {
  const delivered = await ctx.db.sql.query<{ batch_key: string; side: TicketMessage['side']; alias_name: string | null; body: string }>(
    `SELECT d.batch_key, m.side, m.alias_name, m.body FROM message_deliveries d JOIN ticket_messages m ON m.id = d.message_id
      WHERE d.ticket_id = ? AND d.channel = 'zendesk' AND d.status = 'delivered' ORDER BY m.id ASC`,
    [ticketId],
  );
  const batches = new Map<string, ReturnType<typeof asMessage>[]>();
  for (const d of delivered) batches.set(d.batch_key, [...(batches.get(d.batch_key) ?? []), asMessage(d)]);
  return [...batches.values()].filter((ms) => sameText(composeComment(ms), body)).length;
}

async function sendWaiting(ctx: JobContext, zendesk: ZendeskClient, ticketId: number, zendeskTicketId: number, pending: WaitingRow[]): Promise<void> {
  const { sql, models } = ctx.db;
  if (pending.length === 0) return;
  const since = new Date(ctx.now().getTime() - UPDATE_WINDOW_MS);
  // When each update of the last ten minutes was made: one row per batch sent.
  const recent = await sql.query<{ at: unknown }>(
    `SELECT MAX(delivered_at) AS at FROM message_deliveries
      WHERE ticket_id = ? AND channel = 'zendesk' AND status = 'delivered' AND delivered_at > ? GROUP BY batch_key ORDER BY at ASC`,
    [ticketId, since],
  );
  const batches = recent.map((r) => (r.at instanceof Date ? r.at : new Date(String(r.at))));
  if (batches.length >= UPDATES_PER_WINDOW) {
    const freeAt = batches[batches.length - UPDATES_PER_WINDOW]!.getTime() + UPDATE_WINDOW_MS;
    throw new NotReadyError(`ticket ${zendeskTicketId} had ${batches.length} updates in 10 minutes; waiting to send more`, Math.max(1000, freeAt - ctx.now().getTime()));
  }
  const batchKey = randomUUID();
  await sql.update(models.MessageDelivery, { status: 'sending', batchKey }, `id IN (${Sql.list(pending.length)}) AND status = 'pending'`, pending.map((d) => d.id));
  await send(ctx, zendesk, zendeskTicketId, batchKey, composeComment(pending.map(asMessage)));
  await markDelivered(ctx, batchKey);
}

async function send(ctx: JobContext, zendesk: ZendeskClient, zendeskTicketId: number, batchKey: string, body: string): Promise<void> {
  try {
    await zendesk.addComment(zendeskTicketId, body, 'public');
  } catch (err) {
    // A refusal retrying cannot fix (the Zendesk ticket was deleted): recorded, not retried.
    const status = err instanceof PermanentZendeskError ? 'failed' : 'sending';
    await ctx.db.sql.execute('UPDATE message_deliveries SET attempts = attempts + 1, last_error = ?, status = ?, updated_at = ? WHERE batch_key = ?', [(err as Error).message, status, ctx.now(), batchKey]);
    if (status === 'failed') ctx.logger.error({ zendeskTicketId, batchKey, err }, 'Zendesk refused a relayed comment');
    throw err;
  }
}
