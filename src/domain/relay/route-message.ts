import { threadAliasId } from '../booking/thread-alias.ts';
import type { Transaction } from 'sequelize';
import type { SlackMessage } from '../../db/models/slack-message.ts';
import type { TicketMessage } from '../../db/models/ticket-message.ts';
import type { Ticket } from '../../db/models/ticket.ts';
import { WORK, type DomainContext } from '../domain-context.ts';

/**
 * The thread of the ticket's current booking, if it is booked and the thread is made. An
 * expert who released the ticket and booked it again has a thread per booking: only the
 * one of the current booking's alias counts. Before it is made there is none, and the
 * booking's follow-up replays what was written meanwhile into the new thread.
 */
export async function currentExpertThread(ctx: Pick<DomainContext, 'db'>, transaction: Transaction, ticket: Ticket): Promise<SlackMessage | null> {
  if (!ticket.expertId) return null;
  const { SlackMessage, TicketAlias } = ctx.db.models;
  const alias = await TicketAlias.findOne({ where: { ticketId: ticket.id, side: 'expert', expertId: ticket.expertId, releasedAt: null }, order: [['id', 'DESC']], transaction });
  if (!alias) return null;
  const threads = await SlackMessage.findAll({ where: { ticketId: ticket.id, purpose: 'expert_thread', expertId: ticket.expertId }, order: [['id', 'DESC']], transaction });
  return threads.find((t) => threadAliasId(t) === alias.id) ?? null;
}

/** Queues a transcript message as a reply in a Slack thread. */
export async function relayIntoThread(ctx: DomainContext, transaction: Transaction, thread: SlackMessage, message: TicketMessage): Promise<void> {
  const relay = await ctx.db.models.SlackMessage.create(
    { ticketId: message.ticketId, purpose: 'relay', channel: thread.channel, expertId: thread.expertId, threadOf: thread.id, ticketMessageId: message.id },
    { transaction },
  );
  await ctx.outbox.add(transaction, WORK.slackPost, { messageId: relay.id });
}

/**
 * Queues the deliveries a new transcript message needs, in the same transaction: a customer's
 * message to the expert's ticket thread (if a expert has the ticket; otherwise the booking
 * delivers it), an expert's message or a notice to the customer on the ticket's own channel.
 */
export async function routeMessage(ctx: DomainContext, transaction: Transaction, ticket: Ticket, message: TicketMessage): Promise<void> {
  const { SlackMessage, MessageDelivery } = ctx.db.models;
  if (message.side === 'customer') {
    const thread = await currentExpertThread(ctx, transaction, ticket);
    if (thread) await relayIntoThread(ctx, transaction, thread, message);
    return;
  }
  switch (ticket.source) {
    case 'zendesk': {
      await MessageDelivery.create({ messageId: message.id, ticketId: ticket.id, channel: 'zendesk' }, { transaction });
      // A job sends everything waiting for the ticket as one comment. While one is queued
      // and has not started (it clears the mark first thing), it will carry this message
      // too. The ticket row is locked until commit (callers that write to the ticket lock
      // it before their inserts), so the job cannot clear the mark and read the waiting
      // messages between this check and this message becoming visible.
      const { Ticket } = ctx.db.models;
      const row = await Ticket.findByPk(ticket.id, { attributes: ['id', 'zendeskRelayDueAt'], lock: transaction.LOCK.UPDATE, transaction });
      if (row && row.zendeskRelayDueAt === null) {
        await Ticket.update({ zendeskRelayDueAt: ctx.now() }, { where: { id: ticket.id }, transaction });
        await ctx.outbox.add(transaction, WORK.relayZendesk, { ticketId: ticket.id });
      }
      return;
    }
    case 'slack': {
      const thread = await SlackMessage.findOne({ where: { ticketId: ticket.id, purpose: 'requester_confirmation' }, order: [['id', 'ASC']], transaction });
      if (thread) await relayIntoThread(ctx, transaction, thread, message);
      return;
    }
    case 'widget': {
      // The widget shows the transcript itself; the email tells the customer to look.
      const delivery = await MessageDelivery.create({ messageId: message.id, ticketId: ticket.id, channel: 'email' }, { transaction });
      await ctx.outbox.add(transaction, WORK.relayEmail, { deliveryId: delivery.id });
      return;
    }
  }
}

/** Helpnet telling the customer something about their ticket, on their channel and in the transcript. */
export async function tellCustomer(ctx: DomainContext, transaction: Transaction, ticket: Ticket, body: string): Promise<void> {
  const message = await ctx.db.models.TicketMessage.create({ ticketId: ticket.id, side: 'system', aliasName: null, expertId: null, body, via: 'helpnet', sourceKey: null }, { transaction });
  await routeMessage(ctx, transaction, ticket, message);
}
