import type { Transaction } from 'sequelize';
import type { Expert } from '../../db/models/expert.ts';
import type { TicketAlias } from '../../db/models/ticket-alias.ts';
import type { Ticket } from '../../db/models/ticket.ts';
import { WORK, type DomainContext } from '../domain-context.ts';
import { relayIntoThread } from '../relay/route-message.ts';

/**
 * Starts the expert's thread for a booking in their DM with the bot: the parent shows the
 * ticket (and Resolve / Release), and the conversation so far — what the customer wrote
 * before anyone booked, or with an expert who released the ticket — follows as replies.
 * The alias the thread was opened under is recorded: replies count only while it is active.
 */
export async function openExpertThread(ctx: DomainContext, transaction: Transaction, ticket: Ticket, expert: Expert, alias: TicketAlias): Promise<void> {
  const { SlackMessage, TicketMessage } = ctx.db.models;
  const thread = await SlackMessage.create(
    { ticketId: ticket.id, purpose: 'expert_thread', channel: expert.slackUserId!, expertId: expert.id, aliasId: alias.id },
    { transaction },
  );
  await ctx.outbox.add(transaction, WORK.slackPost, { messageId: thread.id });
  const earlier = await TicketMessage.findAll({ where: { ticketId: ticket.id, side: ['customer', 'expert'] }, order: [['id', 'ASC']], transaction });
  for (const message of earlier) await relayIntoThread(ctx, transaction, thread, message);
}
