import { threadAliasId } from '../../domain/booking/thread-alias.ts';
import { UniqueConstraintError, type Transaction } from 'sequelize';
import { receiveMessage, type Sender } from '../../domain/relay/receive-message.ts';
import { ticketPublicId } from '../../domain/tickets/ticket-public-id.ts';
import { WORK } from '../../domain/domain-context.ts';
import type { JobContext } from '../../jobs/define-job.ts';
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
 */
export async function receiveDirectMessage(services: JobContext, dm: DirectMessage): Promise<DirectMessageOutcome> {
  try {
    return await services.db.sequelize.transaction(async (transaction) => {
      await recordEvent(services, transaction, dm.eventId, { channel: dm.channel, user: dm.user, threadTs: dm.threadTs ?? null });
      const notify = (text: string, threadOf: number | null) => postNotice(services, transaction, { channel: dm.channel, text, threadOf });

      const found = await findTicketThread(services, transaction, dm);
      if (found === 'none') {
        await notify(RELAY_NOTICES.outsideThread, null);
        return 'hint';
      }
      if (found === 'not_yours') return 'refused';
      const { thread, ticketId, from } = found;
      const id = ticketPublicId(ticketId);
      if (dm.hasFiles) await notify(RELAY_NOTICES.files, thread.id);
      const result = await receiveMessage(services, transaction, { ticketId, from, body: slackTextToPlain(dm.text), via: 'slack', sourceKey: `slack:${dm.eventId}` });
      switch (result.outcome) {
        case 'relayed':
        case 'duplicate':
          return result.outcome;
        case 'held':
          await notify(RELAY_NOTICES.held(id), thread.id);
          return 'held';
        case 'closed':
        case 'not_found':
          await notify(RELAY_NOTICES.closed(id), thread.id);
          return 'refused';
        case 'released':
          await notify(RELAY_NOTICES.released(id), thread.id);
          return 'refused';
        case 'empty':
          return 'ignored';
      }
    });
  } catch (err) {
    // The same event delivered twice at once: the other delivery handled it.
    if (err instanceof UniqueConstraintError) return 'duplicate';
    throw err;
  }
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
export async function receiveDirectMessageChange(services: JobContext, change: DirectMessageChange): Promise<'noticed' | 'ignored' | 'duplicate'> {
  try {
    return await services.db.sequelize.transaction(async (transaction) => {
      await recordEvent(services, transaction, change.eventId, { channel: change.channel, user: change.user, threadTs: change.threadTs ?? null, kind: change.kind });
      const found = await findTicketThread(services, transaction, change, { quiet: true });
      if (found === 'none' || found === 'not_yours') return 'ignored';
      const text = change.kind === 'edited' ? RELAY_NOTICES.edited : RELAY_NOTICES.deleted;
      await postNotice(services, transaction, { channel: change.channel, text, threadOf: found.thread.id });
      return 'noticed';
    });
  } catch (err) {
    if (err instanceof UniqueConstraintError) return 'duplicate';
    throw err;
  }
}

/** The event, recorded once: a retry of it fails on the unique dedupe key (see the callers). */
async function recordEvent(services: JobContext, transaction: Transaction, eventId: string, payload: Record<string, unknown>): Promise<void> {
  const now = services.now();
  await services.db.sql.insert(services.db.models.InboundEvent, [{ source: 'slack', dedupeKey: `slack:${eventId}`, payload: JSON.stringify(payload), status: 'processed', processedAt: now }], { transaction, now });
}

interface ThreadRow {
  id: number;
  ticket_id: number | null;
  purpose: string;
  expert_id: number | null;
  details: string | null;
  /** The writer, if they are an expert. */
  writer_expert_id: number | null;
  /** The Slack user of the ticket's customer. */
  customer_slack_user_id: string | null;
}

/**
 * The ticket thread a DM reply belongs to — an expert's booking thread or a Slack
 * requester's ticket thread — and who is writing in it, in one read. Someone else's thread
 * is refused with a notice (unless `quiet`).
 */
async function findTicketThread(
  services: JobContext,
  transaction: Transaction,
  dm: { channel: string; user: string; threadTs?: string },
  opts: { quiet?: boolean } = {},
): Promise<{ thread: { id: number }; ticketId: number; from: Sender } | 'none' | 'not_yours'> {
  if (!dm.threadTs) return 'none';
  const [thread] = await services.db.sql.query<ThreadRow>(
    `SELECT m.id, m.ticket_id, m.purpose, m.expert_id, m.details, e.id AS writer_expert_id, c.slack_user_id AS customer_slack_user_id
       FROM slack_messages m
       LEFT JOIN experts e ON e.slack_user_id = ?
       LEFT JOIN tickets t ON t.id = m.ticket_id
       LEFT JOIN customers c ON c.id = t.customer_id
      WHERE m.ts = ? AND m.purpose IN ('expert_thread', 'requester_confirmation') AND m.channel IN (?, ?)
      ORDER BY m.id LIMIT 1`,
    [dm.user, dm.threadTs, dm.channel, dm.user],
    { transaction },
  );
  const ticketId = thread?.ticket_id === null || thread?.ticket_id === undefined ? undefined : Number(thread.ticket_id);
  if (!thread || !ticketId) return 'none';
  const id = Number(thread.id);
  const refuse = async () => {
    if (!opts.quiet) await postNotice(services, transaction, { channel: dm.channel, text: RELAY_NOTICES.notYourThread, threadOf: id });
    return 'not_yours' as const;
  };
  if (thread.purpose === 'expert_thread') {
    if (thread.writer_expert_id === null || Number(thread.writer_expert_id) !== Number(thread.expert_id)) return refuse();
    const aliasId = threadAliasId(thread) ?? 0;
    return { thread: { id }, ticketId, from: { side: 'expert', expertId: Number(thread.writer_expert_id), aliasId } };
  }
  if (thread.customer_slack_user_id !== dm.user) return refuse();
  return { thread: { id }, ticketId, from: { side: 'customer' } };
}

async function postNotice(services: JobContext, transaction: Transaction, n: { channel: string; text: string; threadOf: number | null }): Promise<void> {
  const now = services.now();
  const [notice] = await services.db.sql.insert(
    services.db.models.SlackMessage,
    [{ ticketId: null, purpose: 'notice', channel: n.channel, expertId: null, threadOf: n.threadOf, details: JSON.stringify({ text: n.text }) }],
    { transaction, now },
  );
  await services.outbox.add(transaction, WORK.slackPost, { messageId: notice! });
}
