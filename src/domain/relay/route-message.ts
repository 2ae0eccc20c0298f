import type { Attributes, Transaction } from 'sequelize';
import type { SlackMessage } from '../../db/models/slack-message.ts';
import type { TicketMessage } from '../../db/models/ticket-message.ts';
import type { Ticket } from '../../db/models/ticket.ts';
import { WORK, type DomainContext } from '../domain-context.ts';

/** What routing needs of a ticket and of a transcript message. */
export type TicketToRoute = Pick<Attributes<Ticket>, 'id' | 'source' | 'expertId'>;
export type MessageToRoute = Pick<Attributes<TicketMessage>, 'id' | 'ticketId' | 'side'>;
type ThreadRow = Attributes<SlackMessage>;

/**
 * The thread of the ticket's current booking, if it is booked and the thread is made. An
 * expert who released the ticket and booked it again has a thread per booking: only the
 * one of the current booking's alias counts. Before it is made there is none, and the
 * booking's follow-up replays what was written meanwhile into the new thread.
 */
export async function currentExpertThread(ctx: Pick<DomainContext, 'db'>, transaction: Transaction, ticket: Pick<Attributes<Ticket>, 'id' | 'expertId'>): Promise<ThreadRow | null> {
  if (!ticket.expertId) return null;
  const alias = await ctx.db.ticketAliases.currentExpertAlias(ticket.id, ticket.expertId, { transaction });
  if (!alias) return null;
  return (await ctx.db.slackMessages.expertThreadOfAlias(ticket.id, ticket.expertId, alias.id, { transaction })) ?? null;
}

/** Queues a transcript message as a reply in a Slack thread. */
export async function relayIntoThread(ctx: DomainContext, transaction: Transaction, thread: Pick<ThreadRow, 'id' | 'channel' | 'expertId'>, message: Pick<MessageToRoute, 'id' | 'ticketId'>): Promise<void> {
  const [relay] = await ctx.db.slackMessages.add([{ ticketId: message.ticketId, purpose: 'relay', channel: thread.channel, expertId: thread.expertId, threadOf: thread.id, ticketMessageId: message.id }], { transaction, now: ctx.now() });
  await ctx.outbox.add(transaction, WORK.slackPost, { messageId: relay! });
}

/**
 * Queues the deliveries a new transcript message needs, in the same transaction: a customer's
 * message to the expert's ticket thread (if a expert has the ticket; otherwise the booking
 * delivers it), an expert's message or a notice to the customer on the ticket's own channel.
 * The caller holds the ticket's row lock (everything that writes to a ticket takes it first).
 */
export async function routeMessage(ctx: DomainContext, transaction: Transaction, ticket: TicketToRoute, message: MessageToRoute): Promise<void> {
  await routeMessages(ctx, transaction, [{ ticket, message }]);
}

/**
 * routeMessage for several messages. With `locked`, each ticket is as read under its row
 * lock in this transaction (its relay mark is current), so the marks are set in one UPDATE.
 */
export async function routeMessages(
  ctx: DomainContext,
  transaction: Transaction,
  items: readonly { ticket: TicketToRoute & { zendeskRelayDueAt?: Date | null }; message: MessageToRoute }[],
  opts: { locked?: boolean } = {},
): Promise<void> {
  const now = ctx.now();
  const toZendesk = items.filter((i) => i.message.side !== 'customer' && i.ticket.source === 'zendesk');
  if (toZendesk.length > 0) {
    await ctx.db.deliveries.add(toZendesk.map((i) => ({ messageId: i.message.id, ticketId: i.ticket.id, channel: 'zendesk' as const })), { transaction, now });
    // A job sends everything waiting for a ticket as one comment. While one is queued and
    // has not started (it clears the mark first thing), it will carry these messages too.
    // The ticket rows are locked until commit, so the job cannot clear a mark and read the
    // waiting messages between this mark and these messages becoming visible.
    const tickets = [...new Map(toZendesk.map((i) => [i.ticket.id, i.ticket])).values()];
    if (opts.locked) {
      const unmarked = tickets.filter((t) => !t.zendeskRelayDueAt).map((t) => t.id);
      await ctx.db.tickets.markZendeskRelayDue(unmarked, now, { transaction });
      for (const ticketId of unmarked) await ctx.outbox.add(transaction, WORK.relayZendesk, { ticketId });
    } else {
      for (const ticket of tickets) {
        if ((await ctx.db.tickets.markZendeskRelayDue([ticket.id], now, { transaction })) === 1) await ctx.outbox.add(transaction, WORK.relayZendesk, { ticketId: ticket.id });
      }
    }
  }
  for (const { ticket, message } of items) {
    if (message.side === 'customer') {
      const thread = await currentExpertThread(ctx, transaction, ticket);
      if (thread) await relayIntoThread(ctx, transaction, thread, message);
    } else if (ticket.source === 'slack') {
      const thread = await ctx.db.slackMessages.requesterThread(ticket.id, { transaction });
      if (thread) await relayIntoThread(ctx, transaction, thread, message);
    } else if (ticket.source === 'widget' || ticket.source === 'portal') {
      // The widget and the portal's ticket page show the transcript themselves; the email
      // tells the customer to look.
      const [delivery] = await ctx.db.deliveries.add([{ messageId: message.id, ticketId: ticket.id, channel: 'email' }], { transaction, now });
      await ctx.outbox.add(transaction, WORK.relayEmail, { deliveryId: delivery! });
    }
  }
}

/**
 * A job sending these tickets' Zendesk comments has started: their relay mark (set by
 * routeMessages) is cleared, so that from here on a new message queues a job of its own.
 * In the sender's transaction, before it reads what waits: clearing takes the tickets' row
 * locks, so the messages written before are visible to that read.
 */
export async function zendeskRelayStarted(ctx: Pick<DomainContext, 'db'>, transaction: Transaction, ticketIds: readonly number[]): Promise<void> {
  await ctx.db.tickets.clearZendeskRelayDue(ticketIds, { transaction });
}

/**
 * Helpnet telling the customer something about their ticket, on their channel and in the
 * transcript. A notice naming a survey gets the survey's link where it is shown (see
 * surveys/survey-notices.ts).
 */
export async function tellCustomer(ctx: DomainContext, transaction: Transaction, ticket: TicketToRoute, body: string, opts: { surveyId?: number } = {}): Promise<void> {
  const [notice] = await ctx.db.ticketMessages.insert([{ ticketId: ticket.id, side: 'system', aliasName: null, expertId: null, body, originalBody: null, via: 'helpnet', sourceKey: null, surveyId: opts.surveyId ?? null }], { transaction, now: ctx.now() });
  await routeMessage(ctx, transaction, ticket, notice!);
}
