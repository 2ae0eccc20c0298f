import { randomUUID } from 'node:crypto';
import { retryOnDeadlock } from '../db/retry-deadlock.ts';
import type { TicketMessage } from '../db/models/ticket-message.ts';
import { Sql } from '../db/sql.ts';
import { expertLabel } from '../domain/relay/labels.ts';
import type { JobContext } from '../jobs/define-job.ts';
import { GroupCommit } from '../lib/group-commit.ts';
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

/** A delivery waiting to go to Zendesk, with its message and its ticket's state. */
interface WaitingRow {
  id: number;
  ticket_id: number;
  status: 'pending' | 'sending';
  batch_key: string | null;
  side: TicketMessage['side'];
  alias_name: string | null;
  body: string;
  external_id: string | null;
  lease_owner: string | null;
  lease_until: unknown;
  /** Updates of the ticket in the last ten minutes (batches delivered). */
  recent_updates: number | string;
}

type Outcome = PromiseSettledResult<void>;
const done: Outcome = { status: 'fulfilled', value: undefined };
const failed = (reason: unknown): Outcome => ({ status: 'rejected', reason });
const asDate = (v: unknown) => (v === null || v === undefined ? undefined : v instanceof Date ? v : new Date(String(v)));

const senders = new WeakMap<object, GroupCommit<number, void>>();

/**
 * Sends a Zendesk ticket's waiting messages as public comments by the integration user. One
 * worker at a time holds the ticket (a lease), so comments keep their order; everything
 * waiting goes out as one comment, which is how bursts stay within Zendesk's per-ticket
 * update limit — past the budget, the job waits for the window to move and then sends all
 * that piled up. A batch is marked before it is sent; if the sender died after Zendesk took
 * it, the next run finds the comment and does not send it again.
 *
 * The tickets of runs that come in while a send is under way are sent together in the next
 * (see sendTogether): a handful of statements per round, whatever the number of tickets.
 */
export function sendTicketComments(ctx: JobContext, ticketId: number): Promise<void> {
  let sender = senders.get(ctx.db.sequelize);
  if (!sender) {
    sender = new GroupCommit((ids) => sendTogether(ctx, ids));
    senders.set(ctx.db.sequelize, sender);
  }
  return sender.add(ticketId);
}

/**
 * One round for these tickets; each ticket's outcome is what its job should see. Tickets
 * that have more waiting by the end of the round (written while it sent, by writers whose
 * jobs found the lease held — in this process they wait for the next round anyway) go into
 * the next round with the others, rather than this one going round again for them alone.
 */
async function sendTogether(ctx: JobContext, requested: number[]): Promise<Outcome[]> {
  const outcomes = new Map<number, Outcome>();
  const tickets = [...new Set(requested)];
  try {
    const sent = await sendRound(ctx, tickets, outcomes);
    const more = sent.length === 0 ? [] : await ctx.db.sql.query<{ ticket_id: number }>(`SELECT DISTINCT ticket_id FROM message_deliveries WHERE ticket_id IN (${Sql.list(sent.length)}) AND channel = 'zendesk' AND status = 'pending'`, sent);
    for (const { ticket_id } of more) {
      // Its messages stay pending if this fails; their own jobs, or the next change, send them.
      senders.get(ctx.db.sequelize)?.add(Number(ticket_id)).catch((err: unknown) => ctx.logger.debug({ err, ticketId: ticket_id }, 'relay to Zendesk left to the next run'));
    }
  } catch (err) {
    for (const id of tickets) if (!outcomes.has(id)) outcomes.set(id, failed(err));
  }
  return requested.map((id) => outcomes.get(id) ?? done);
}

/**
 * Takes the leases of the tickets, reads what waits under them, sends each held ticket's
 * waiting messages as one comment, and gives the leases back. Returns the tickets it sent
 * for (they may have more waiting by now).
 */
async function sendRound(ctx: JobContext, tickets: number[], outcomes: Map<number, Outcome>): Promise<number[]> {
  const { sql } = ctx.db;
  const owner = randomUUID();
  const now = ctx.now();
  const until = new Date(now.getTime() + LEASE_MS);
  const ids = Sql.list(tickets.length);
  const free = '(zendesk_relay_lease_until IS NULL OR zendesk_relay_lease_until < ?)';
  // From here on, a new message queues a job of its own (see routeMessage); those written
  // before are visible to the read below (this UPDATE waits for their commits). Both CASEs
  // read the lease's old expiry: the owner is assigned before the expiry changes.
  await retryOnDeadlock(() =>
    sql.execute(
      `UPDATE tickets SET zendesk_relay_due_at = NULL, zendesk_relay_lease_owner = CASE WHEN ${free} THEN ? ELSE zendesk_relay_lease_owner END,
              zendesk_relay_lease_until = CASE WHEN ${free} THEN ? ELSE zendesk_relay_lease_until END WHERE id IN (${ids})`,
      [now, owner, now, until, ...tickets],
    ),
  );
  const kept = new Map<number, Date>();
  const sent: number[] = [];
  try {
    const rows = await sql.query<WaitingRow>(
      `SELECT d.id, d.ticket_id, d.status, d.batch_key, m.side, m.alias_name, m.body, t.external_id,
              t.zendesk_relay_lease_owner AS lease_owner, t.zendesk_relay_lease_until AS lease_until,
              (SELECT COUNT(DISTINCT r.batch_key) FROM message_deliveries r
                WHERE r.ticket_id = d.ticket_id AND r.channel = 'zendesk' AND r.status = 'delivered' AND r.delivered_at > ?) AS recent_updates
         FROM message_deliveries d JOIN ticket_messages m ON m.id = d.message_id JOIN tickets t ON t.id = d.ticket_id
        WHERE d.ticket_id IN (${ids}) AND d.channel = 'zendesk' AND d.status IN ('pending', 'sending') ORDER BY m.id ASC`,
      [new Date(now.getTime() - UPDATE_WINDOW_MS), ...tickets],
    );
    const byTicket = new Map<number, WaitingRow[]>();
    for (const r of rows) byTicket.set(Number(r.ticket_id), [...(byTicket.get(Number(r.ticket_id)) ?? []), r]);
    const toSend: { ticketId: number; zendeskTicketId: number; batchKey: string; pending: WaitingRow[] }[] = [];
    for (const ticketId of tickets) {
      const waiting = byTicket.get(ticketId);
      if (!waiting || !waiting[0]!.external_id) continue; // nothing waits (or not a Zendesk ticket)
      const first = waiting[0]!;
      if (!ctx.zendesk) {
        outcomes.set(ticketId, failed(new RetryableZendeskError('Zendesk is not configured', 10 * 60_000)));
        continue;
      }
      if (first.lease_owner !== owner) {
        // Held by another worker sending (which is soon done), or kept through a wait Zendesk
        // asked for: try again shortly, and no sooner than the wait.
        const wait = Math.min(Math.max(250, (asDate(first.lease_until)?.getTime() ?? 0) - Date.now()), 1000);
        outcomes.set(ticketId, failed(new NotReadyError('another worker is sending this ticket’s comments, or Zendesk asked to wait', wait)));
        continue;
      }
      const zendeskTicketId = Number(first.external_id);
      try {
        const sending = waiting.filter((w) => w.status === 'sending');
        if (sending.length > 0) await finishUnconfirmedBatches(ctx, ctx.zendesk, ticketId, zendeskTicketId, sending);
        if (Number(first.recent_updates) >= UPDATES_PER_WINDOW) await budgetWait(ctx, ticketId, zendeskTicketId);
      } catch (err) {
        if (err instanceof RetryableZendeskError && err.retryAfterMs) kept.set(ticketId, new Date(Date.now() + err.retryAfterMs));
        outcomes.set(ticketId, failed(err));
        continue;
      }
      const pending = waiting.filter((w) => w.status === 'pending');
      if (pending.length > 0) toSend.push({ ticketId, zendeskTicketId, batchKey: randomUUID(), pending });
    }
    if (toSend.length > 0) {
      const pendingIds = toSend.flatMap((t) => t.pending.map((p) => p.id));
      await sql.execute(
        `UPDATE message_deliveries SET status = 'sending', batch_key = CASE ticket_id ${toSend.map(() => 'WHEN ? THEN ?').join(' ')} END, updated_at = ?
          WHERE id IN (${Sql.list(pendingIds.length)}) AND status = 'pending'`,
        [...toSend.flatMap((t) => [t.ticketId, t.batchKey]), ctx.now(), ...pendingIds],
      );
      const results = await Promise.allSettled(toSend.map((t) => send(ctx, ctx.zendesk!, t.zendeskTicketId, t.batchKey, composeComment(t.pending.map(asMessage)))));
      const delivered = toSend.filter((_, i) => results[i]!.status === 'fulfilled');
      await markDelivered(ctx, delivered.map((t) => t.batchKey));
      toSend.forEach((t, i) => {
        const result = results[i]!;
        if (result.status === 'fulfilled') {
          sent.push(t.ticketId);
          return;
        }
        // A wait Zendesk asked for (429 Retry-After) applies to the ticket, not just this job:
        // keeping the lease until then holds off every other sender too. (The update budget
        // needs no such hold: every sender reads it from the deliveries.)
        const err: unknown = result.reason;
        if (err instanceof RetryableZendeskError && err.retryAfterMs) kept.set(t.ticketId, new Date(Date.now() + err.retryAfterMs));
        outcomes.set(t.ticketId, failed(err));
      });
    }
  } finally {
    // Every lease this round took (matched by its owner token), but those kept through a wait.
    const released = tickets.filter((id) => !kept.has(id));
    if (released.length > 0) {
      await retryOnDeadlock(() =>
        sql.execute(`UPDATE tickets SET zendesk_relay_lease_owner = NULL, zendesk_relay_lease_until = NULL WHERE id IN (${Sql.list(released.length)}) AND zendesk_relay_lease_owner = ?`, [...released, owner]),
      );
    }
    for (const [id, keep] of kept) {
      await retryOnDeadlock(() => sql.execute('UPDATE tickets SET zendesk_relay_lease_until = ? WHERE id = ? AND zendesk_relay_lease_owner = ?', [keep, id, owner]));
    }
  }
  return sent;
}

/** Past the budget of updates in the window: waits (NotReadyError) until the oldest counted leaves it. */
async function budgetWait(ctx: JobContext, ticketId: number, zendeskTicketId: number): Promise<void> {
  const since = new Date(ctx.now().getTime() - UPDATE_WINDOW_MS);
  const recent = await ctx.db.sql.query<{ at: unknown }>(
    `SELECT MAX(delivered_at) AS at FROM message_deliveries
      WHERE ticket_id = ? AND channel = 'zendesk' AND status = 'delivered' AND delivered_at > ? GROUP BY batch_key ORDER BY at ASC`,
    [ticketId, since],
  );
  if (recent.length < UPDATES_PER_WINDOW) return;
  const freeAt = asDate(recent[recent.length - UPDATES_PER_WINDOW]!.at)!.getTime() + UPDATE_WINDOW_MS;
  throw new NotReadyError(`ticket ${zendeskTicketId} had ${recent.length} updates in 10 minutes; waiting to send more`, Math.max(1000, freeAt - ctx.now().getTime()));
}

const asMessage = (w: Pick<WaitingRow, 'side' | 'alias_name' | 'body'>) => ({ side: w.side, aliasName: w.alias_name, body: w.body });

async function markDelivered(ctx: JobContext, batchKeys: string[]): Promise<void> {
  if (batchKeys.length === 0) return;
  const now = ctx.now();
  await ctx.db.sql.update(ctx.db.models.MessageDelivery, { status: 'delivered', deliveredAt: now, lastError: null }, `batch_key IN (${Sql.list(batchKeys.length)}) AND status = 'sending'`, batchKeys, { now });
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
    await markDelivered(ctx, [batchKey]);
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
