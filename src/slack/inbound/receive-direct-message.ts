import { threadAliasId } from '../../domain/booking/thread-alias.ts';
import { UniqueConstraintError, type Transaction } from 'sequelize';
import { receiveMessages, type Sender } from '../../domain/relay/receive-message.ts';
import { ticketPublicId } from '../../domain/tickets/ticket-public-id.ts';
import { WORK } from '../../domain/domain-context.ts';
import type { SlackContext } from '../slack-context.ts';
import { Sql } from '../../db/sql.ts';
import { GroupCommit } from '../../lib/group-commit.ts';
import { RELAY_NOTICES } from '../blocks/relay-notices.ts';
import { slackTextToPlain } from './slack-text.ts';

export interface DirectMessage {
  /** The Events API envelope's id: Slack's retries of one event carry the same. */
  eventId: string;
  channel: string;
  user: string;
  text: string;
  threadTs?: string;
  hasFiles: boolean;
}

export type DirectMessageOutcome = 'relayed' | 'held' | 'duplicate' | 'refused' | 'hint' | 'ignored';

/**
 * A message someone wrote in their DM with the bot. A reply in the thread of a ticket —
 * an expert's booking thread, or a Slack requester's ticket thread — goes into the relay
 * as that side of that ticket; anything else gets a hint. The event is recorded in the same
 * transaction as its effects, so a retried event does nothing twice and a failure leaves
 * nothing half-done for the retry.
 *
 * Messages that arrive while others are being stored are stored together, in arrival
 * order, in the next transaction (see receiveDirectMessages); if that fails — a retried
 * event among them, a row another process took — each is stored on its own.
 */
export function receiveDirectMessage(services: SlackContext, dm: DirectMessage): Promise<DirectMessageOutcome> {
  let inbox = inboxes.get(services);
  if (!inbox) {
    inbox = new GroupCommit(async (dms: DirectMessage[]) => {
      if (dms.length > 1) {
        try {
          return (await receiveDirectMessages(services, dms)).map((value) => ({ status: 'fulfilled' as const, value }));
        } catch {
          // Each on its own below, so one bad event fails only itself.
        }
      }
      const outcomes: PromiseSettledResult<DirectMessageOutcome>[] = [];
      for (const one of dms) {
        try {
          outcomes.push({ status: 'fulfilled', value: (await receiveDirectMessages(services, [one]))[0]! });
        } catch (err) {
          // The same event delivered twice at once: the other delivery handled it.
          outcomes.push(err instanceof UniqueConstraintError ? { status: 'fulfilled', value: 'duplicate' } : { status: 'rejected', reason: err });
        }
      }
      return outcomes;
    });
    inboxes.set(services, inbox);
  }
  return inbox.add(dm);
}

// One per context (a process has one).
const inboxes = new WeakMap<SlackContext, GroupCommit<DirectMessage, DirectMessageOutcome>>();

/**
 * Messages in DMs with the bot, stored and routed in one transaction, in order. An event
 * already recorded (Slack retrying it), or twice among these, is a duplicate and does
 * nothing more.
 */
export async function receiveDirectMessages(services: SlackContext, all: readonly DirectMessage[]): Promise<DirectMessageOutcome[]> {
  return services.db.unitOfWork(async (transaction) => {
    const keys = [...new Set(all.map((dm) => `slack:${dm.eventId}`))];
    const known = new Set(
      (await services.db.sql.query<{ dedupe_key: string }>(`SELECT dedupe_key FROM inbound_events WHERE source = 'slack' AND dedupe_key IN (${Sql.list(keys.length)})`, keys, { transaction })).map((r) => r.dedupe_key),
    );
    const dms = all.filter((dm) => {
      const key = `slack:${dm.eventId}`;
      if (known.has(key)) return false;
      known.add(key);
      return true;
    });
    if (dms.length === 0) return all.map(() => 'duplicate' as const);
    await recordEvents(services, transaction, dms.map((dm) => ({ eventId: dm.eventId, payload: { channel: dm.channel, user: dm.user, threadTs: dm.threadTs ?? null } })));
    const notices: Notice[] = [];
    const found = await findTicketThreads(services, transaction, dms);
    const relayed = dms.flatMap((dm, i) => {
      const f = found[i]!;
      return typeof f === 'object' && 'from' in f ? [{ dm, f }] : [];
    });
    const results = await receiveMessages(
      services,
      transaction,
      relayed.map(({ dm, f }) => ({ ticketId: f.ticketId, from: f.from, body: slackTextToPlain(dm.text), via: 'slack' as const, sourceKey: `slack:${dm.eventId}` })),
    );
    const byDm = new Map(relayed.map(({ dm }, i) => [dm, results[i]!]));
    const outcomes = dms.map((dm, i): DirectMessageOutcome => {
      const f = found[i]!;
      if (f === 'none') {
        notices.push({ channel: dm.channel, text: RELAY_NOTICES.outsideThread, threadOf: null });
        return 'hint';
      }
      if ('notYours' in f) {
        notices.push({ channel: dm.channel, text: RELAY_NOTICES.notYourThread, threadOf: f.notYours });
        return 'refused';
      }
      const notify = (text: string) => notices.push({ channel: dm.channel, text, threadOf: f.thread.id });
      const id = ticketPublicId(f.ticketId);
      if (dm.hasFiles) notify(RELAY_NOTICES.files);
      const result = byDm.get(dm)!;
      switch (result.outcome) {
        case 'relayed':
        case 'duplicate':
          return result.outcome;
        case 'held':
          notify(RELAY_NOTICES.held(id));
          return 'held';
        case 'closed':
        case 'not_found':
          notify(RELAY_NOTICES.closed(id));
          return 'refused';
        case 'released':
          notify(RELAY_NOTICES.released(id));
          return 'refused';
        case 'empty':
          return 'ignored';
      }
    });
    await postNotices(services, transaction, notices);
    const outcomeOf = new Map(dms.map((dm, i) => [dm, outcomes[i]!]));
    return all.map((dm) => outcomeOf.get(dm) ?? 'duplicate');
  });
}

/** An edit or deletion someone made in their DM with the bot (Slack's `message_changed` / `message_deleted`). */
export interface DirectMessageChange {
  eventId: string;
  channel: string;
  user: string;
  /** The thread the changed message is a reply in, if any. */
  threadTs?: string;
  kind: 'edited' | 'deleted';
}

/**
 * The other side already has what was first written: an edit or a deletion in a ticket
 * thread is not passed on, and the writer is told so (once per event), rather than left
 * believing a correction or an unsend went through. Changes elsewhere are ignored.
 */
export async function receiveDirectMessageChange(services: SlackContext, change: DirectMessageChange): Promise<'noticed' | 'ignored' | 'duplicate'> {
  try {
    return await services.db.unitOfWork(async (transaction) => {
      await recordEvents(services, transaction, [{ eventId: change.eventId, payload: { channel: change.channel, user: change.user, threadTs: change.threadTs ?? null, kind: change.kind } }]);
      const [found] = await findTicketThreads(services, transaction, [change]);
      if (!found || found === 'none' || 'notYours' in found) return 'ignored';
      const text = change.kind === 'edited' ? RELAY_NOTICES.edited : RELAY_NOTICES.deleted;
      await postNotices(services, transaction, [{ channel: change.channel, text, threadOf: found.thread.id }]);
      return 'noticed';
    });
  } catch (err) {
    if (err instanceof UniqueConstraintError) return 'duplicate';
    throw err;
  }
}

/** The events, recorded once: a retry of one fails on the unique dedupe key (see the callers). */
async function recordEvents(services: SlackContext, transaction: Transaction, events: { eventId: string; payload: Record<string, unknown> }[]): Promise<void> {
  const now = services.now();
  await services.db.sql.insert(
    services.db.models.InboundEvent,
    events.map((e) => ({ source: 'slack' as const, dedupeKey: `slack:${e.eventId}`, payload: JSON.stringify(e.payload), status: 'processed' as const, processedAt: now })),
    { transaction, now },
  );
}

interface ThreadRow {
  id: number;
  ts: string;
  channel: string;
  ticket_id: number | null;
  purpose: string;
  expert_id: number | null;
  details: string | null;
  /** The Slack user of the ticket's customer. */
  customer_slack_user_id: string | null;
}

interface Notice {
  channel: string;
  text: string;
  threadOf: number | null;
}

/** A DM reply's ticket thread and who writes in it; none; or someone else's thread. */
type ThreadFound = { thread: { id: number }; ticketId: number; from: Sender } | 'none' | { notYours: number };

/**
 * The ticket thread each DM reply belongs to — an expert's booking thread or a Slack
 * requester's ticket thread — and who is writing in it, in two reads for all of them.
 */
async function findTicketThreads(services: SlackContext, transaction: Transaction, dms: readonly { channel: string; user: string; threadTs?: string }[]): Promise<ThreadFound[]> {
  const { sql } = services.db;
  const tss = [...new Set(dms.flatMap((dm) => (dm.threadTs ? [dm.threadTs] : [])))];
  if (tss.length === 0) return dms.map(() => 'none');
  const threads = await sql.query<ThreadRow>(
    `SELECT m.id, m.ts, m.channel, m.ticket_id, m.purpose, m.expert_id, m.details, c.slack_user_id AS customer_slack_user_id
       FROM slack_messages m LEFT JOIN tickets t ON t.id = m.ticket_id LEFT JOIN customers c ON c.id = t.customer_id
      WHERE m.ts IN (${Sql.list(tss.length)}) AND m.purpose IN ('expert_thread', 'requester_confirmation') ORDER BY m.id`,
    tss,
    { transaction },
  );
  const writers = [...new Set(dms.map((dm) => dm.user))];
  const experts = await services.db.experts.idsBySlackIds(writers, { transaction });
  return dms.map((dm): ThreadFound => {
    const thread = threads.find((t) => t.ts === dm.threadTs && (t.channel === dm.channel || t.channel === dm.user));
    const ticketId = thread?.ticket_id === null || thread?.ticket_id === undefined ? undefined : Number(thread.ticket_id);
    if (!thread || !ticketId) return 'none';
    const id = Number(thread.id);
    const refuse = () => ({ notYours: id });
    if (thread.purpose === 'expert_thread') {
      const writer = experts.get(dm.user);
      if (writer === undefined || writer !== Number(thread.expert_id)) return refuse();
      return { thread: { id }, ticketId, from: { side: 'expert', expertId: writer, aliasId: threadAliasId(thread) ?? 0 } };
    }
    if (thread.customer_slack_user_id !== dm.user) return refuse();
    return { thread: { id }, ticketId, from: { side: 'customer' } };
  });
}

async function postNotices(services: SlackContext, transaction: Transaction, notices: Notice[]): Promise<void> {
  const now = services.now();
  const ids = await services.db.sql.insert(
    services.db.models.SlackMessage,
    notices.map((n) => ({ ticketId: null, purpose: 'notice' as const, channel: n.channel, expertId: null, threadOf: n.threadOf, details: JSON.stringify({ text: n.text }) })),
    { transaction, now },
  );
  for (const messageId of ids) await services.outbox.add(transaction, WORK.slackPost, { messageId });
}
