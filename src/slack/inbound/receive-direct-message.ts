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
  const { InboundEvent, SlackMessage, Expert, Customer, Ticket } = services.db.models;
  try {
    return await services.db.sequelize.transaction(async (transaction) => {
      await InboundEvent.create({ source: 'slack', dedupeKey: `slack:${dm.eventId}`, payload: JSON.stringify({ channel: dm.channel, user: dm.user, threadTs: dm.threadTs ?? null }), status: 'processed', processedAt: services.now() }, { transaction });
      const notify = (text: string, threadOf: number | null) => postNotice(services, transaction, { channel: dm.channel, text, threadOf });

      const thread = dm.threadTs
        ? await SlackMessage.findOne({ where: { ts: dm.threadTs, purpose: ['expert_thread', 'requester_confirmation'], channel: [dm.channel, dm.user] }, transaction })
        : null;
      if (!thread?.ticketId) {
        await notify(RELAY_NOTICES.outsideThread, null);
        return 'hint';
      }
      const id = ticketPublicId(thread.ticketId);
      let from: Sender;
      if (thread.purpose === 'expert_thread') {
        const expert = await Expert.findOne({ where: { slackUserId: dm.user }, transaction });
        const aliasId = Number((JSON.parse(thread.details ?? '{}') as { aliasId?: number }).aliasId);
        if (!expert || expert.id !== thread.expertId) {
          await notify(RELAY_NOTICES.notYourThread, thread.id);
          return 'refused';
        }
        from = { side: 'expert', expertId: expert.id, aliasId };
      } else {
        const ticket = await Ticket.findByPk(thread.ticketId, { transaction, rejectOnEmpty: true });
        const customer = await Customer.findByPk(ticket.customerId, { transaction, rejectOnEmpty: true });
        if (customer.slackUserId !== dm.user) {
          await notify(RELAY_NOTICES.notYourThread, thread.id);
          return 'refused';
        }
        from = { side: 'customer' };
      }
      if (dm.hasFiles) await notify(RELAY_NOTICES.files, thread.id);
      const result = await receiveMessage(services, transaction, { ticketId: thread.ticketId, from, body: slackTextToPlain(dm.text), via: 'slack', sourceKey: `slack:${dm.eventId}` });
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

async function postNotice(services: JobContext, transaction: Transaction, n: { channel: string; text: string; threadOf: number | null }): Promise<void> {
  const notice = await services.db.models.SlackMessage.create(
    { ticketId: null, purpose: 'notice', channel: n.channel, expertId: null, threadOf: n.threadOf, details: JSON.stringify({ text: n.text }) },
    { transaction },
  );
  await services.outbox.add(transaction, WORK.slackPost, { messageId: notice.id });
}
