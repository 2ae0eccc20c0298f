import type { Attributes, Transaction } from 'sequelize';
import type { MessageVia, TicketMessage } from '../../db/models/ticket-message.ts';
import type { DomainContext } from '../domain-context.ts';
import { storedCategory } from '../routing-snapshot.ts';
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
  | { outcome: 'relayed' | 'held' | 'duplicate'; message: Attributes<TicketMessage> }
  /** The ticket is closed, or the expert's alias for it was released: not delivered to anyone. */
  | { outcome: 'closed' | 'released' | 'not_found' | 'empty' };

const FINISHED = ['closed', 'cancelled'];

interface WriterRow {
  alias: string;
  alias_ticket_id: number;
  released_at: unknown;
  name: string | null;
  email: string | null;
  phone: string | null;
  company?: string | null;
  slack_names: string | null;
}

/**
 * A message from one side of a ticket. Checked against the ticket as it is now — a closed
 * ticket or a released expert alias refuses it, so a late message never reaches whoever
 * holds that alias now — then stored in the transcript with the sender's identity scrubbed,
 * and its delivery queued, all in the caller's transaction. A customer's message before an
 * expert has the ticket is held: the booking delivers it.
 */
export async function receiveMessage(ctx: DomainContext, transaction: Transaction, input: IncomingMessage): Promise<ReceiveOutcome> {
  const { sql, models } = ctx.db;
  const repeat = await sql.selectOne(models.TicketMessage, 'source_key = ?', [input.sourceKey], { transaction });
  if (repeat) return { outcome: 'duplicate', message: repeat };
  // Locked first: messages of one ticket are stored one after another, and the writes
  // below (whose foreign keys take shared locks on this row) cannot deadlock with a job
  // updating the ticket.
  const ticket = await sql.selectOne(models.Ticket, 'id = ?', [input.ticketId], { transaction, forUpdate: true });
  if (!ticket) return { outcome: 'not_found' };
  if (FINISHED.includes(ticket.status)) return { outcome: 'closed' };
  const body = input.body.trim();
  if (body === '') return { outcome: 'empty' };

  let aliasName: string;
  let scrubbed: string;
  if (input.from.side === 'expert') {
    // The booking's alias and the expert's identity, in one read.
    const [writer] = await sql.query<WriterRow>(
      'SELECT a.name AS alias, a.ticket_id AS alias_ticket_id, a.released_at, e.name, e.email, e.phone, e.slack_names FROM ticket_aliases a JOIN experts e ON e.id = ? WHERE a.id = ?',
      [input.from.expertId, input.from.aliasId],
      { transaction },
    );
    const current = ticket.expertId === input.from.expertId && ['booked', 'close_pending'].includes(ticket.status);
    if (!writer || writer.released_at !== null || Number(writer.alias_ticket_id) !== ticket.id || !current) return { outcome: 'released' };
    aliasName = writer.alias;
    scrubbed = scrubIdentity(body, identityOf({ ...writer, slackNames: writer.slack_names }), aliasName);
  } else {
    const [writer] = await sql.query<WriterRow>(
      `SELECT a.name AS alias, a.ticket_id AS alias_ticket_id, a.released_at, c.name, c.email, c.phone, c.company, c.slack_names
         FROM ticket_aliases a JOIN customers c ON c.id = ? WHERE a.ticket_id = ? AND a.side = 'customer' AND a.released_at IS NULL LIMIT 1`,
      [ticket.customerId, ticket.id],
      { transaction },
    );
    if (!writer) return { outcome: 'closed' };
    const category = await storedCategory(ctx, ticket.categoryId, transaction);
    aliasName = writer.alias;
    scrubbed = category?.shareCustomerContact ? body : scrubIdentity(body, [identityOf({ ...writer, slackNames: writer.slack_names }), ...(input.writtenBy ? [input.writtenBy] : [])], aliasName);
  }

  const now = ctx.now();
  const values = {
    ticketId: ticket.id,
    side: input.from.side,
    aliasName,
    expertId: input.from.side === 'expert' ? input.from.expertId : null,
    body: scrubbed,
    via: input.via,
    sourceKey: input.sourceKey,
  };
  const [id] = await sql.insert(models.TicketMessage, [values], { transaction, now });
  const message = sql.rowOf(models.TicketMessage, { ...values, id: id!, createdAt: now, updatedAt: now });
  await routeMessage(ctx, transaction, ticket, message);
  const held = input.from.side === 'customer' && !ticket.expertId;
  return { outcome: held ? 'held' : 'relayed', message };
}
