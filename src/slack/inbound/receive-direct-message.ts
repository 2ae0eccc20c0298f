import { threadAliasId } from '../../domain/booking/thread-alias.ts';
import { UniqueConstraintError, type Transaction } from 'sequelize';
import type { SlackMessage } from '../../db/models/index.ts';
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
  const { InboundEvent } = services.db.models;
  try {
    return await services.db.sequelize.transaction(async (transaction) => {
      await InboundEvent.create({ source: 'slack', dedupeKey: `slack:${dm.eventId}`, payload: JSON.stringify({ channel: dm.channel, user: dm.user, threadTs: dm.threadTs ?? null }), status: 'processed', processedAt: services.now() }, { transaction });
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
      await services.db.models.InboundEvent.create(
        { source: 'slack', dedupeKey: `slack:${change.eventId}`, payload: JSON.stringify({ channel: change.channel, user: change.user, threadTs: change.threadTs ?? null, kind: change.kind }), status: 'processed', processedAt: services.now() },
        { transaction },
      );
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

/**
 * The ticket thread a DM reply belongs to — an expert's booking thread or a Slack
 * requester's ticket thread — and who is writing in it. Someone else's thread is refused
 * with a notice (unless `quiet`).
 */
async function findTicketThread(
  services: JobContext,
  transaction: Transaction,
  dm: { channel: string; user: string; threadTs?: string },
  opts: { quiet?: boolean } = {},
): Promise<{ thread: SlackMessage; ticketId: number; from: Sender } | 'none' | 'not_yours'> {
  const { SlackMessage, Expert, Customer, Ticket } = services.db.models;
  const thread = dm.threadTs ? await SlackMessage.findOne({ where: { ts: dm.threadTs, purpose: ['expert_thread', 'requester_confirmation'], channel: [dm.channel, dm.user] }, transaction }) : null;
  const ticketId = thread?.ticketId;
  if (!thread || !ticketId) return 'none';
  const refuse = async () => {
    if (!opts.quiet) await postNotice(services, transaction, { channel: dm.channel, text: RELAY_NOTICES.notYourThread, threadOf: thread.id });
    return 'not_yours' as const;
  };
  if (thread.purpose === 'expert_thread') {
    const expert = await Expert.findOne({ where: { slackUserId: dm.user }, transaction });
    if (!expert || expert.id !== thread.expertId) return refuse();
    const aliasId = threadAliasId(thread) ?? 0;
    return { thread, ticketId, from: { side: 'expert', expertId: expert.id, aliasId } };
  }
  const ticket = await Ticket.findByPk(ticketId, { transaction, rejectOnEmpty: true });
  const customer = await Customer.findByPk(ticket.customerId, { transaction, rejectOnEmpty: true });
  if (customer.slackUserId !== dm.user) return refuse();
  return { thread, ticketId, from: { side: 'customer' } };
}

async function postNotice(services: JobContext, transaction: Transaction, n: { channel: string; text: string; threadOf: number | null }): Promise<void> {
  const notice = await services.db.models.SlackMessage.create(
    { ticketId: null, purpose: 'notice', channel: n.channel, expertId: null, threadOf: n.threadOf, details: JSON.stringify({ text: n.text }) },
    { transaction },
  );
  await services.outbox.add(transaction, WORK.slackPost, { messageId: notice.id });
}
