import { randomUUID } from 'node:crypto';
import type { Transaction } from 'sequelize';
import type { TicketMessage } from '../db/models/ticket-message.ts';
import type { ZendeskWaitingRow as WaitingRow } from '../db/repositories/message-deliveries.ts';
import { expertLabel } from '../domain/relay/labels.ts';
import { zendeskRelayStarted } from '../domain/relay/route-message.ts';
import { customerText } from '../domain/surveys/survey-notices.ts';
import type { SurveyLinks } from '../domain/surveys/survey-token.ts';
import type { SurveyStatus } from '../db/models/survey.ts';
import type { ZendeskContext } from './zendesk-context.ts';
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

/** Whether a comment Zendesk holds reads as `b` (Zendesk may re-flow whitespace). */
export const sameText = (a: string, b: string) => a.replace(/\s+/g, ' ').trim() === b.replace(/\s+/g, ' ').trim();

/** A rejection handed to a caller later on: marked handled now, so Node does not take it for a forgotten one meanwhile. */
const rejected = (err: unknown): Promise<never> => {
  const p = Promise.reject(err);
  p.catch(() => undefined);
  return p;
};
const asDate = (v: unknown) => (v === null || v === undefined ? undefined : v instanceof Date ? v : new Date(String(v)));

/** A ticket's send finished: its batch (if one went out) to mark delivered, and its lease to give back or keep. */
interface Finished {
  ticketId: number;
  owner: string;
  deliveredKey?: string;
  /** Keep the lease until then (a Retry-After Zendesk asked for) instead of giving it back. */
  keepUntil?: Date;
}

interface Sender {
  claims: GroupCommit<number, void>;
  finishes: GroupCommit<Finished, void>;
  /** Tickets whose send this process has under way, and when it is done. */
  sending: Map<number, Promise<unknown>>;
}

// One per context (a process has one): what it sends with is the context it was made with.
const senders = new WeakMap<ZendeskContext, Sender>();

/**
 * Sends a Zendesk ticket's waiting messages as public comments by the integration user. One
 * worker at a time holds the ticket (a lease), so comments keep their order; everything
 * waiting goes out as one comment, which is how bursts stay within Zendesk's per-ticket
 * update limit — past the budget, the job waits for the window to move and then sends all
 * that piled up. A batch is marked before it is sent; if the sender died after Zendesk took
 * it, the next run finds the comment and does not send it again.
 *
 * The tickets of runs that come in together are claimed together (see claimRound): one
 * statement takes their leases, one reads what waits, one marks it being sent. Each
 * ticket's comment then goes out on its own, so a slow answer from Zendesk holds up only
 * its ticket, and the sends that finish together are recorded together.
 */
export function sendTicketComments(ctx: ZendeskContext, ticketId: number): Promise<void> {
  let sender = senders.get(ctx);
  if (!sender) {
    const made: Sender = {
      claims: new GroupCommit((ids) => claimRound(ctx, made, ids)),
      finishes: new GroupCommit((items) => recordFinished(ctx, items)),
      sending: new Map(),
    };
    sender = made;
    senders.set(ctx, sender);
  }
  const underWay = sender.sending.get(ticketId);
  // Its messages written meanwhile go in the next claim, once this process's send of the ticket is done.
  if (underWay) return underWay.then(() => sendTicketComments(ctx, ticketId), () => sendTicketComments(ctx, ticketId));
  return sender.claims.add(ticketId);
}

/**
 * Takes the leases of the tickets, reads what waits under them and marks it being sent;
 * each ticket's outcome (what its job should see) follows once its own send is done.
 */
async function claimRound(ctx: ZendeskContext, sender: Sender, requested: number[]): Promise<Promise<void>[]> {
  // Runs that came in while this process was sending their ticket (since they were queued): after that send.
  const later = new Map<number, Promise<void>>();
  for (const ticketId of new Set(requested)) {
    const underWay = sender.sending.get(ticketId);
    if (underWay) later.set(ticketId, underWay.then(() => sendTicketComments(ctx, ticketId)));
  }
  const tickets = [...new Set(requested)].filter((id) => !later.has(id));
  if (tickets.length === 0) return requested.map((id) => later.get(id)!);
  // One transaction: on SQLite it takes its turn with the others (a lone statement would wait
  // on the busy handler, which is not fair, behind a stream of incoming messages).
  let claimed: Awaited<ReturnType<typeof claimTickets>>;
  try {
    claimed = await ctx.db.unitOfWork((transaction) => claimTickets(ctx, transaction, tickets));
  } catch (err) {
    // Nothing was claimed (the transaction rolled back): each run hears of it and retries;
    // those waiting for this process's send of their ticket still follow it.
    return requested.map((id) => later.get(id) ?? rejected(err));
  }
  const { owner, claims } = claimed;
  const outcomes = new Map<number, Promise<void>>();
  const release = (ticketId: number, extra: Omit<Finished, 'ticketId' | 'owner'> = {}) => sender.finishes.add({ ticketId, owner, ...extra });
  const sendOne = async (ticketId: number, work: () => Promise<string | undefined>) => {
    let deliveredKey: string | undefined;
    try {
      deliveredKey = await work();
    } catch (err) {
      // A wait Zendesk asked for (429 Retry-After) applies to the ticket, not just this job:
      // keeping the lease until then holds off every other sender too. (The update budget
      // needs no such hold: every sender reads it from the deliveries.)
      const keepUntil = err instanceof RetryableZendeskError && err.retryAfterMs ? new Date(ctx.now().getTime() + err.retryAfterMs) : undefined;
      // The job must hear of Zendesk's answer (its Retry-After), not of a failure to record it.
      await release(ticketId, keepUntil ? { keepUntil } : {}).catch((releaseErr: unknown) => ctx.logger.warn({ err: releaseErr, ticketId }, 'could not give back a relay lease; it runs out'));
      throw err;
    }
    await release(ticketId, deliveredKey ? { deliveredKey } : {});
  };
  for (const ticketId of tickets) {
    const claim = claims.get(ticketId)!;
    switch (claim.kind) {
      case 'nothing':
        outcomes.set(ticketId, release(ticketId));
        break;
      case 'held':
        outcomes.set(ticketId, rejected(new NotReadyError('another worker is sending this ticket’s comments, or Zendesk asked to wait', claim.waitMs)));
        break;
      case 'no-zendesk':
        outcomes.set(ticketId, release(ticketId).then(() => rejected(new RetryableZendeskError('Zendesk is not configured', 10 * 60_000))));
        break;
      case 'send': {
        const { zendeskTicketId, batchKey, pending } = claim;
        outcomes.set(ticketId, sendOne(ticketId, async () => {
          await send(ctx, ctx.zendesk!, zendeskTicketId, batchKey, composeComment(pending.map(asMessage(ctx.surveyLinks))));
          return batchKey;
        }));
        break;
      }
      case 'on-its-own': {
        // A batch left unconfirmed, or the update budget spent.
        const { zendeskTicketId, waiting } = claim;
        outcomes.set(ticketId, sendOne(ticketId, async () => {
          try {
            const sending = waiting.filter((w) => w.status === 'sending');
            if (sending.length > 0) await finishUnconfirmedBatches(ctx, ctx.zendesk!, ticketId, zendeskTicketId, sending);
            await budgetWait(ctx, ticketId, zendeskTicketId);
            const pending = waiting.filter((w) => w.status === 'pending');
            if (pending.length === 0) return undefined;
            const batchKey = randomUUID();
            await markSending(ctx, [{ ticketId, batchKey, pending }]);
            await send(ctx, ctx.zendesk!, zendeskTicketId, batchKey, composeComment(pending.map(asMessage(ctx.surveyLinks))));
            return batchKey;
          } catch (err) {
            // Zendesk refuses for good (the ticket is gone): what waited cannot be delivered; recorded, not retried.
            if (err instanceof PermanentZendeskError) await giveUpWaiting(ctx, ticketId, err);
            throw err;
          }
        }));
        break;
      }
    }
  }
  for (const [ticketId, outcome] of outcomes) {
    const settled = outcome.catch(() => undefined);
    sender.sending.set(ticketId, settled);
    void settled.then(() => {
      if (sender.sending.get(ticketId) === settled) sender.sending.delete(ticketId);
    });
  }
  return requested.map((id) => outcomes.get(id) ?? later.get(id)!);
}

/** What a claim found for one ticket. */
type Claim =
  | { kind: 'nothing' }
  | { kind: 'held'; waitMs: number }
  | { kind: 'no-zendesk' }
  | { kind: 'send'; zendeskTicketId: number; batchKey: string; pending: WaitingRow[] }
  | { kind: 'on-its-own'; zendeskTicketId: number; waiting: WaitingRow[] };

/** Takes the tickets' leases, reads what waits under them and marks what can go now as being sent. */
async function claimTickets(ctx: ZendeskContext, transaction: Transaction, tickets: number[]): Promise<{ owner: string; claims: Map<number, Claim> }> {
  const owner = randomUUID();
  const now = ctx.now();
  // From here on, a new message queues a job of its own (see routeMessages); those written
  // before are visible to the read below (clearing the mark waits for their commits).
  await zendeskRelayStarted(ctx, transaction, tickets);
  await ctx.db.tickets.takeZendeskRelayLeases(tickets, owner, now, new Date(now.getTime() + LEASE_MS), { transaction });
  const rows = await ctx.db.deliveries.waitingForZendesk(tickets, new Date(now.getTime() - UPDATE_WINDOW_MS), { transaction });
  const byTicket = new Map<number, WaitingRow[]>();
  for (const r of rows) byTicket.set(Number(r.ticket_id), [...(byTicket.get(Number(r.ticket_id)) ?? []), r]);
  const claims = new Map<number, Claim>();
  for (const ticketId of tickets) {
    const waiting = byTicket.get(ticketId);
    const first = waiting?.[0];
    if (!waiting || !first || !first.external_id) claims.set(ticketId, { kind: 'nothing' }); // nothing waits (or not a Zendesk ticket)
    else if (first.lease_owner !== owner) {
      // Held by another worker sending (which is soon done), or kept through a wait Zendesk
      // asked for: try again within a second (the lease may be given back sooner than it ends).
      claims.set(ticketId, { kind: 'held', waitMs: Math.min(Math.max(250, (asDate(first.lease_until)?.getTime() ?? 0) - now.getTime()), 1000) });
    } else if (!ctx.zendesk) claims.set(ticketId, { kind: 'no-zendesk' });
    else if (waiting.some((w) => w.status === 'sending') || Number(first.recent_updates) >= UPDATES_PER_WINDOW) {
      claims.set(ticketId, { kind: 'on-its-own', zendeskTicketId: Number(first.external_id), waiting });
    } else claims.set(ticketId, { kind: 'send', zendeskTicketId: Number(first.external_id), batchKey: randomUUID(), pending: waiting });
  }
  await markSending(ctx, [...claims.entries()].flatMap(([ticketId, c]) => (c.kind === 'send' ? [{ ticketId, batchKey: c.batchKey, pending: c.pending }] : [])), transaction);
  return { owner, claims };
}

/** Records every delivery still waiting for a ticket as failed, with why. */
async function giveUpWaiting(ctx: ZendeskContext, ticketId: number, err: Error): Promise<void> {
  await ctx.db.deliveries.failWaitingForZendesk(ticketId, err.message, ctx.now());
  ctx.logger.error({ ticketId, err }, 'Zendesk refused the relayed comments of a ticket for good');
}

/** Marks the tickets' pending deliveries as being sent, each ticket's under its batch key, in one statement. */
async function markSending(ctx: ZendeskContext, batches: { ticketId: number; batchKey: string; pending: WaitingRow[] }[], transaction?: Transaction): Promise<void> {
  await ctx.db.deliveries.markSending(
    batches.map((b) => ({ ticketId: b.ticketId, batchKey: b.batchKey, deliveryIds: b.pending.map((p) => p.id) })),
    ctx.now(),
    { transaction },
  );
}

/**
 * Sends that finished together: their batches marked delivered, then their leases given back
 * (or kept), in one transaction; should that fail, each on its own, so one bad row does not
 * leave every lease of the batch held until it runs out.
 */
async function recordFinished(ctx: ZendeskContext, items: Finished[]): Promise<PromiseSettledResult<void>[]> {
  try {
    await recordFinishedTogether(ctx, items);
    return items.map(() => ({ status: 'fulfilled', value: undefined }));
  } catch (err) {
    if (items.length === 1) return [{ status: 'rejected', reason: err }];
    const outcomes: PromiseSettledResult<void>[] = [];
    for (const item of items) {
      try {
        await recordFinishedTogether(ctx, [item]);
        outcomes.push({ status: 'fulfilled', value: undefined });
      } catch (reason) {
        outcomes.push({ status: 'rejected', reason });
      }
    }
    return outcomes;
  }
}

async function recordFinishedTogether(ctx: ZendeskContext, items: Finished[]): Promise<void> {
  const { tickets } = ctx.db;
  await ctx.db.unitOfWork(async (transaction) => {
    await markDelivered(ctx, items.flatMap((i) => (i.deliveredKey ? [i.deliveredKey] : [])), transaction);
    await tickets.giveBackZendeskRelayLeases(items.filter((i) => !i.keepUntil), { transaction });
    for (const i of [...items].sort((a, b) => a.ticketId - b.ticketId)) {
      if (i.keepUntil) await tickets.keepZendeskRelayLease(i.ticketId, i.owner, i.keepUntil, { transaction });
    }
  });
}

/** Past the budget of updates in the window: waits (NotReadyError) until the oldest counted leaves it. */
async function budgetWait(ctx: ZendeskContext, ticketId: number, zendeskTicketId: number): Promise<void> {
  const since = new Date(ctx.now().getTime() - UPDATE_WINDOW_MS);
  const recent = await ctx.db.deliveries.zendeskBatchesDeliveredSince(ticketId, since);
  if (recent.length < UPDATES_PER_WINDOW) return;
  const freeAt = recent[recent.length - UPDATES_PER_WINDOW]!.getTime() + UPDATE_WINDOW_MS;
  throw new NotReadyError(`ticket ${zendeskTicketId} had ${recent.length} updates in 10 minutes; waiting to send more`, Math.max(1000, freeAt - ctx.now().getTime()));
}

/**
 * A waiting or delivered row as the customer reads it: a survey notice with its link (see
 * surveys/survey-notices.ts). `asIf` renders it as it read while the survey had that status.
 */
const asMessage = (links: SurveyLinks, asIf?: SurveyStatus) => (w: Pick<WaitingRow, 'side' | 'alias_name' | 'body' | 'survey_id' | 'survey_salt' | 'survey_status'>) => ({
  side: w.side,
  aliasName: w.alias_name,
  body: customerText({ body: w.body, surveyId: w.survey_id }, w.survey_salt ? { tokenSalt: w.survey_salt, status: asIf ?? (w.survey_status as SurveyStatus) } : undefined, links),
});

async function markDelivered(ctx: ZendeskContext, batchKeys: string[], transaction?: Transaction): Promise<void> {
  await ctx.db.deliveries.markDelivered(batchKeys, ctx.now(), { transaction });
}

/**
 * Batches marked as being sent by a run that did not finish: sent already, or send now.
 * Sent already means Zendesk has more comments by Helpnet with that text than batches with
 * that text are recorded as delivered — an earlier, identical message ("Thanks!") is not
 * mistaken for this one.
 */
async function finishUnconfirmedBatches(ctx: ZendeskContext, zendesk: ZendeskClient, ticketId: number, zendeskTicketId: number, sending: WaitingRow[]): Promise<void> {
  const me = await zendesk.me();
  const mine = (await zendesk.getComments(zendeskTicketId)).filter((c) => c.author_id === me.id && c.public);
  for (const batchKey of [...new Set(sending.map((d) => d.batch_key!))]) {
    const batch = sending.filter((d) => d.batch_key === batchKey);
    const body = composeComment(batch.map(asMessage(ctx.surveyLinks)));
    // A survey notice read differently before its survey closed (with the link) than after
    // (closed): the comment may have gone out either way, so either counts as landed.
    const readings: (SurveyStatus | undefined)[] = batch.some((d) => d.survey_id) ? ['pending', 'answered'] : [undefined];
    let landed = false;
    for (const asIf of readings) {
      const sent = composeComment(batch.map(asMessage(ctx.surveyLinks, asIf)));
      const inZendesk = mine.filter((c) => sameText(c.body, sent)).length;
      if (inZendesk > 0 && inZendesk > (await deliveredBatchesReading(ctx, ticketId, sent, asIf))) landed = true;
    }
    if (!landed) await send(ctx, zendesk, zendeskTicketId, batchKey, body);
    await markDelivered(ctx, [batchKey]);
  }
}

/** How many of the ticket's delivered Zendesk batches made a comment reading `body` (their survey notices read as if `asIf`). */
async function deliveredBatchesReading(ctx: ZendeskContext, ticketId: number, body: string, asIf?: SurveyStatus): Promise<number> {
  const delivered = await ctx.db.deliveries.deliveredToZendesk(ticketId);
  const batches = new Map<string, ReturnType<ReturnType<typeof asMessage>>[]>();
  for (const d of delivered) batches.set(d.batch_key, [...(batches.get(d.batch_key) ?? []), asMessage(ctx.surveyLinks, asIf)(d)]);
  return [...batches.values()].filter((ms) => sameText(composeComment(ms), body)).length;
}

async function send(ctx: ZendeskContext, zendesk: ZendeskClient, zendeskTicketId: number, batchKey: string, body: string): Promise<void> {
  try {
    await zendesk.addComment(zendeskTicketId, body, 'public');
  } catch (err) {
    // A refusal retrying cannot fix (the Zendesk ticket was deleted): recorded, not retried.
    const status = err instanceof PermanentZendeskError ? 'failed' : 'sending';
    await ctx.db.deliveries.recordBatchFailure(batchKey, (err as Error).message, status, ctx.now());
    if (status === 'failed') ctx.logger.error({ zendeskTicketId, batchKey, err }, 'Zendesk refused a relayed comment');
    throw err;
  }
}
