import type { Transaction } from 'sequelize';
import type { MessageVia, TicketMessage } from '../../db/models/ticket-message.ts';
import type { DomainContext } from '../domain-context.ts';
import { routeMessage } from './route-message.ts';
import { identityOf } from './identity.ts';
import { scrubIdentity, type Identity } from './scrub-identity.ts';

/** Who wrote: the customer of the ticket, or an expert writing in the thread of one booking. */
export type Sender = { side: 'customer' } | { side: 'expert'; expertId: number; aliasId: number };

export interface IncomingMessage {
  ticketId: number;
  from: Sender;
  body: string;
  via: MessageVia;
  /** The message's identity where it was written: a repeat of it is stored once. */
  sourceKey: string;
  /**
   * Someone other than the ticket's customer wrote on the customer's side (a colleague
   * copied on the Zendesk ticket): their identity is scrubbed too.
   */
  writtenBy?: Identity;
}

export type ReceiveOutcome =
  | { outcome: 'relayed' | 'held' | 'duplicate'; message: TicketMessage }
  /** The ticket is closed, or the expert's alias for it was released: not delivered to anyone. */
  | { outcome: 'closed' | 'released' | 'not_found' | 'empty' };

const FINISHED = ['closed', 'cancelled'];

/**
 * A message from one side of a ticket. Checked against the ticket as it is now — a closed
 * ticket or a released expert alias refuses it, so a late message never reaches whoever
 * holds that alias now — then stored in the transcript with the sender's identity scrubbed,
 * and its delivery queued, all in the caller's transaction. A customer's message before an
 * expert has the ticket is held: the booking delivers it.
 */
export async function receiveMessage(ctx: DomainContext, transaction: Transaction, input: IncomingMessage): Promise<ReceiveOutcome> {
  const { Ticket, TicketAlias, TicketMessage, Customer, Expert, Category } = ctx.db.models;
  const repeat = await TicketMessage.findOne({ where: { sourceKey: input.sourceKey }, transaction });
  if (repeat) return { outcome: 'duplicate', message: repeat };
  // Locked first: messages of one ticket are stored one after another, and the writes
  // below (whose foreign keys take shared locks on this row) cannot deadlock with a job
  // updating the ticket.
  const ticket = await Ticket.findByPk(input.ticketId, { transaction, lock: transaction.LOCK.UPDATE });
  if (!ticket) return { outcome: 'not_found' };
  if (FINISHED.includes(ticket.status)) return { outcome: 'closed' };
  const body = input.body.trim();
  if (body === '') return { outcome: 'empty' };

  let aliasName: string;
  let scrubbed: string;
  if (input.from.side === 'expert') {
    const alias = await TicketAlias.findByPk(input.from.aliasId, { transaction });
    const current = ticket.expertId === input.from.expertId && ['booked', 'close_pending'].includes(ticket.status);
    if (!alias || alias.releasedAt || alias.ticketId !== ticket.id || !current) return { outcome: 'released' };
    const expert = await Expert.findByPk(input.from.expertId, { transaction, rejectOnEmpty: true });
    aliasName = alias.name;
    scrubbed = scrubIdentity(body, identityOf(expert), aliasName);
  } else {
    const alias = await TicketAlias.findOne({ where: { ticketId: ticket.id, side: 'customer', releasedAt: null }, transaction });
    if (!alias) return { outcome: 'closed' };
    const category = await Category.findByPk(ticket.categoryId, { transaction, rejectOnEmpty: true });
    const customer = await Customer.findByPk(ticket.customerId, { transaction, rejectOnEmpty: true });
    aliasName = alias.name;
    scrubbed = category.shareCustomerContact ? body : scrubIdentity(body, [identityOf(customer), ...(input.writtenBy ? [input.writtenBy] : [])], aliasName);
  }

  const message = await TicketMessage.create(
    {
      ticketId: ticket.id,
      side: input.from.side,
      aliasName,
      expertId: input.from.side === 'expert' ? input.from.expertId : null,
      body: scrubbed,
      via: input.via,
      sourceKey: input.sourceKey,
    },
    { transaction },
  );
  await routeMessage(ctx, transaction, ticket, message);
  const held = input.from.side === 'customer' && !ticket.expertId;
  return { outcome: held ? 'held' : 'relayed', message };
}
