import type { Transaction } from 'sequelize';
import { WORK, type DomainContext } from '../domain-context.ts';

/**
 * Re-renders every message posted about a ticket (channel posts, pages, experts' ticket
 * threads) so they show its current state: escalated, booked, released, resolved. Messages not yet sent need nothing: they
 * are rendered from the current state when they go out.
 */
export async function refreshTicketMessages(ctx: DomainContext, transaction: Transaction, ticketId: number): Promise<void> {
  const messages = await ctx.db.models.SlackMessage.findAll({ where: { ticketId, purpose: ['dispatch', 'page', 'expert_thread'] }, attributes: ['id'], transaction });
  for (const m of messages) await ctx.outbox.add(transaction, WORK.slackUpdate, { messageId: m.id });
}
