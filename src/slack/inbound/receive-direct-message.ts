import { UniqueConstraintError, type Transaction } from 'sequelize';
import type { NoticeToPost } from '../../db/repositories/slack-messages.ts';
import { receiveThreadReplies, whoWritesInThreads } from '../../domain/relay/receive-thread-replies.ts';
import { ticketPublicId } from '../../domain/tickets/ticket-public-id.ts';
import { WORK } from '../../domain/domain-context.ts';
import type { SlackContext } from '../slack-context.ts';
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
 * nothing more. Who may write in a thread is the domain's to say (receiveThreadReplies);
 * this answers the writer in Slack.
 */
export async function receiveDirectMessages(services: SlackContext, all: readonly DirectMessage[]): Promise<DirectMessageOutcome[]> {
  return services.db.unitOfWork(async (transaction) => {
    const known = await services.db.inboundEvents.knownKeys('slack', all.map((dm) => eventKey(dm.eventId)), { transaction });
    const dms = all.filter((dm) => {
      if (known.has(eventKey(dm.eventId))) return false;
      known.add(eventKey(dm.eventId));
      return true;
    });
    if (dms.length === 0) return all.map(() => 'duplicate' as const);
    await recordEvents(services, transaction, dms.map((dm) => ({ eventId: dm.eventId, payload: { channel: dm.channel, user: dm.user, threadTs: dm.threadTs ?? null } })));
    const results = await receiveThreadReplies(
      services,
      transaction,
      dms.map((dm) => ({ channel: dm.channel, threadTs: dm.threadTs, writer: dm.user, body: slackTextToPlain(dm.text), sourceKey: `slack:${dm.eventId}` })),
    );
    const notices: NoticeToPost[] = [];
    const outcomes = dms.map((dm, i): DirectMessageOutcome => {
      const result = results[i]!;
      if (result.outcome === 'outside_thread') {
        notices.push({ channel: dm.channel, text: RELAY_NOTICES.outsideThread, threadOf: null });
        return 'hint';
      }
      if (result.outcome === 'not_yours') {
        notices.push({ channel: dm.channel, text: RELAY_NOTICES.notYourThread, threadOf: result.threadId });
        return 'refused';
      }
      const notify = (text: string) => notices.push({ channel: dm.channel, text, threadOf: result.threadId });
      const id = ticketPublicId(result.ticketId);
      if (dm.hasFiles) notify(RELAY_NOTICES.files);
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
      const [writer] = await whoWritesInThreads(services, transaction, [{ channel: change.channel, threadTs: change.threadTs, writer: change.user }]);
      if (!writer || !('from' in writer)) return 'ignored';
      const text = change.kind === 'edited' ? RELAY_NOTICES.edited : RELAY_NOTICES.deleted;
      await postNotices(services, transaction, [{ channel: change.channel, text, threadOf: writer.threadId }]);
      return 'noticed';
    });
  } catch (err) {
    if (err instanceof UniqueConstraintError) return 'duplicate';
    throw err;
  }
}

/** A Slack event as kept to recognise Slack's retries of it: its id and a few fields. */
interface SlackEventToRecord {
  eventId: string;
  payload: Record<string, unknown>;
}

/** How a Slack event is known among the events taken in (`inbound_events.dedupe_key`). */
const eventKey = (eventId: string) => `slack:${eventId}`;

/** The events, recorded once: a retry of one fails on the unique dedupe key (see the callers). */
async function recordEvents(services: SlackContext, transaction: Transaction, events: SlackEventToRecord[]): Promise<void> {
  await services.db.inboundEvents.recordProcessed('slack', events.map((e) => ({ dedupeKey: eventKey(e.eventId), payload: JSON.stringify(e.payload) })), { transaction, now: services.now() });
}

async function postNotices(services: SlackContext, transaction: Transaction, notices: NoticeToPost[]): Promise<void> {
  const ids = await services.db.slackMessages.insertNotices(notices, { transaction, now: services.now() });
  for (const messageId of ids) await services.outbox.add(transaction, WORK.slackPost, { messageId });
}
