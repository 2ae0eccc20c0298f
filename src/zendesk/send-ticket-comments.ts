import { randomUUID } from 'node:crypto';
import { Op } from 'sequelize';
import { dropLease, extendLease, takeLease } from '../db/lease.ts';
import { retryOnDeadlock } from '../db/retry-deadlock.ts';
import type { MessageDelivery } from '../db/models/message-delivery.ts';
import type { TicketMessage } from '../db/models/ticket-message.ts';
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

/**
 * Sends a Zendesk ticket's waiting messages as public comments by the integration user. One
 * worker at a time holds the ticket (a lease), so comments keep their order; everything
 * waiting goes out as one comment, which is how bursts stay within Zendesk's per-ticket
 * update limit — past the budget, the job waits for the window to move and then sends all
 * that piled up. A batch is marked before it is sent; if the sender died after Zendesk took
 * it, the next run finds the comment and does not send it again.
 */
export async function sendTicketComments(ctx: JobContext, ticketId: number): Promise<void> {
  const { Ticket, MessageDelivery } = ctx.db.models;
  // From here on, a new message queues a job of its own (see routeMessage); those written
  // before are visible to the reads below (this waits for their transactions to commit).
  await retryOnDeadlock(() => Ticket.update({ zendeskRelayDueAt: null }, { where: { id: ticketId } }));
  for (;;) {
    const waiting = await MessageDelivery.count({ where: { ticketId, channel: 'zendesk', status: ['pending', 'sending'] } });
    if (waiting === 0) return;
    const zendesk = ctx.zendesk;
    if (!zendesk) throw new RetryableZendeskError('Zendesk is not configured', 10 * 60_000);
    const ticket = await Ticket.findByPk(ticketId);
    if (!ticket?.externalId) return;
    const lease = await takeLease(Ticket, ticketId, 'zendeskRelayLeaseUntil', LEASE_MS);
    if (!lease) {
      // Held by another worker sending, or kept through a wait Zendesk asked for: try when it ends.
      const heldUntil = (await Ticket.findByPk(ticketId, { attributes: ['zendeskRelayLeaseUntil'] }))?.zendeskRelayLeaseUntil;
      throw new NotReadyError('another worker is sending this ticket’s comments, or Zendesk asked to wait', Math.max(250, (heldUntil?.getTime() ?? 0) - Date.now()));
    }
    let keep: Date | undefined;
    try {
      await finishUnconfirmedBatches(ctx, zendesk, ticketId, Number(ticket.externalId));
      await sendWaiting(ctx, zendesk, ticketId, Number(ticket.externalId));
    } catch (err) {
      // A wait Zendesk asked for (429 Retry-After) applies to the ticket, not just this job:
      // keeping the lease until then holds off every other sender too. (The update budget
      // needs no such hold: every sender reads it from the deliveries.)
      if (err instanceof RetryableZendeskError && err.retryAfterMs) keep = new Date(Date.now() + err.retryAfterMs);
      throw err;
    } finally {
      if (keep) await extendLease(Ticket, ticketId, 'zendeskRelayLeaseUntil', lease, keep);
      else await dropLease(Ticket, ticketId, 'zendeskRelayLeaseUntil', lease);
    }
  }
}

async function batchMessages(ctx: JobContext, deliveries: MessageDelivery[]): Promise<TicketMessage[]> {
  return ctx.db.models.TicketMessage.findAll({ where: { id: deliveries.map((d) => d.messageId) }, order: [['id', 'ASC']] });
}

async function markDelivered(ctx: JobContext, batchKey: string): Promise<void> {
  await ctx.db.models.MessageDelivery.update({ status: 'delivered', deliveredAt: ctx.now(), lastError: null }, { where: { batchKey, status: 'sending' } });
}

/**
 * Batches marked as being sent by a run that did not finish: sent already, or send now.
 * Sent already means Zendesk has more comments by Helpnet with that text than batches with
 * that text are recorded as delivered — an earlier, identical message ("Thanks!") is not
 * mistaken for this one.
 */
async function finishUnconfirmedBatches(ctx: JobContext, zendesk: ZendeskClient, ticketId: number, zendeskTicketId: number): Promise<void> {
  const sending = await ctx.db.models.MessageDelivery.findAll({ where: { ticketId, channel: 'zendesk', status: 'sending' }, order: [['id', 'ASC']] });
  if (sending.length === 0) return;
  const me = await zendesk.me();
  const mine = (await zendesk.getComments(zendeskTicketId)).filter((c) => c.author_id === me.id && c.public);
  for (const batchKey of [...new Set(sending.map((d) => d.batchKey!))]) {
    const body = composeComment(await batchMessages(ctx, sending.filter((d) => d.batchKey === batchKey)));
    const inZendesk = mine.filter((c) => sameText(c.body, body)).length;
    const landed = inZendesk > 0 && inZendesk > (await deliveredBatchesReading(ctx, ticketId, body));
    if (!landed) await send(ctx, zendesk, zendeskTicketId, batchKey, body);
    await markDelivered(ctx, batchKey);
  }
}

/** How many of the ticket's delivered Zendesk batches made a comment reading `body`. */
async function deliveredBatchesReading(ctx: JobContext, ticketId: number, body: string): Promise<number> {
  const delivered = await ctx.db.models.MessageDelivery.findAll({ where: { ticketId, channel: 'zendesk', status: 'delivered' }, attributes: ['messageId', 'batchKey'] });
  const messages = new Map((await ctx.db.models.TicketMessage.findAll({ where: { id: delivered.map((d) => d.messageId) } })).map((m) => [m.id, m]));
  const batches = new Map<string, TicketMessage[]>();
  for (const d of delivered) {
    const m = messages.get(d.messageId);
    if (m) batches.set(d.batchKey!, [...(batches.get(d.batchKey!) ?? []), m]);
  }
  return [...batches.values()].filter((ms) => sameText(composeComment(ms.sort((a, b) => a.id - b.id)), body)).length;
}

async function sendWaiting(ctx: JobContext, zendesk: ZendeskClient, ticketId: number, zendeskTicketId: number): Promise<void> {
  const { MessageDelivery } = ctx.db.models;
  const since = new Date(ctx.now().getTime() - UPDATE_WINDOW_MS);
  const recent = await MessageDelivery.findAll({
    where: { ticketId, channel: 'zendesk', status: 'delivered', deliveredAt: { [Op.gt]: since } },
    attributes: ['batchKey', 'deliveredAt'],
    order: [['deliveredAt', 'ASC']],
  });
  const batches = [...new Map(recent.map((d) => [d.batchKey, d.deliveredAt!])).values()];
  if (batches.length >= UPDATES_PER_WINDOW) {
    const freeAt = batches[batches.length - UPDATES_PER_WINDOW]!.getTime() + UPDATE_WINDOW_MS;
    throw new NotReadyError(`ticket ${zendeskTicketId} had ${batches.length} updates in 10 minutes; waiting to send more`, Math.max(1000, freeAt - ctx.now().getTime()));
  }
  const pending = await MessageDelivery.findAll({ where: { ticketId, channel: 'zendesk', status: 'pending' }, order: [['id', 'ASC']] });
  if (pending.length === 0) return;
  const batchKey = randomUUID();
  await MessageDelivery.update({ status: 'sending', batchKey }, { where: { id: pending.map((d) => d.id), status: 'pending' } });
  await send(ctx, zendesk, zendeskTicketId, batchKey, composeComment(await batchMessages(ctx, pending)));
  await markDelivered(ctx, batchKey);
}

async function send(ctx: JobContext, zendesk: ZendeskClient, zendeskTicketId: number, batchKey: string, body: string): Promise<void> {
  try {
    await zendesk.addComment(zendeskTicketId, body, 'public');
  } catch (err) {
    const { MessageDelivery } = ctx.db.models;
    await MessageDelivery.increment({ attempts: 1 }, { where: { batchKey } });
    // A refusal retrying cannot fix (the Zendesk ticket was deleted): recorded, not retried.
    const status = err instanceof PermanentZendeskError ? 'failed' : 'sending';
    await MessageDelivery.update({ lastError: (err as Error).message, status }, { where: { batchKey } });
    if (status === 'failed') ctx.logger.error({ zendeskTicketId, batchKey, err }, 'Zendesk refused a relayed comment');
    throw err;
  }
}
