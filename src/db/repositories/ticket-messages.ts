import type { Attributes, Model, ModelStatic } from 'sequelize';
import type { Customer } from '../models/customer.ts';
import type { Expert } from '../models/expert.ts';
import type { Models } from '../models/index.ts';
import type { TicketAlias } from '../models/ticket-alias.ts';
import type { TicketMessage } from '../models/ticket-message.ts';
import { Sql } from '../sql.ts';
import type { InTransaction } from './in-transaction.ts';

export type TicketMessageRow = Attributes<TicketMessage>;
export type NewTicketMessage = Omit<TicketMessageRow, 'id' | 'createdAt' | 'updatedAt' | 'surveyId'> & { surveyId?: number | null };

/** Who wrote a batch of messages: the experts with their booking aliases, the customers with their current aliases. */
export interface MessageWriters {
  aliases: Map<number, Attributes<TicketAlias>>;
  experts: Map<number, Attributes<Expert>>;
  customers: Map<number, Attributes<Customer>>;
  /** By ticket id: the ticket's customer alias in use (the oldest not released). */
  customerAliases: Map<number, Attributes<TicketAlias>>;
}

/** The transcript: every message of a ticket, by either side or Helpnet, once per source key. */
export function ticketMessagesRepository(sql: Sql, models: Pick<Models, 'TicketMessage' | 'TicketAlias' | 'Expert' | 'Customer'>) {
  const { TicketMessage, TicketAlias } = models;
  const byIds = async <M extends Model & { id: number }>(model: ModelStatic<M>, ids: readonly number[], opts: InTransaction): Promise<Map<number, Attributes<M>>> => {
    const distinct = [...new Set(ids)];
    const rows = distinct.length === 0 ? [] : await sql.select(model, `id IN (${Sql.list(distinct.length)})`, distinct, opts);
    return new Map(rows.map((r) => [(r as { id: number }).id, r]));
  };
  return {
    byId(id: number, opts: InTransaction = {}): Promise<TicketMessageRow | undefined> {
      return sql.selectOne(TicketMessage, 'id = ?', [id], opts);
    },

    /** The messages already stored under these source keys, by key. */
    async bySourceKeys(keys: readonly string[], opts: InTransaction = {}): Promise<Map<string, TicketMessageRow>> {
      const distinct = [...new Set(keys)];
      if (distinct.length === 0) return new Map();
      const rows = await sql.select(TicketMessage, `source_key IN (${Sql.list(distinct.length)})`, distinct, opts);
      return new Map(rows.map((m) => [m.sourceKey!, m]));
    },

    /** A ticket's messages with an id above `afterId`, oldest first, at most `limit`. */
    ofTicketAfter(ticketId: number, afterId: number, limit: number, opts: InTransaction = {}): Promise<TicketMessageRow[]> {
      return sql.select(TicketMessage, 'ticket_id = ? AND id > ? ORDER BY id ASC LIMIT ?', [ticketId, afterId, limit], opts);
    },

    /** Stores messages in one statement; the rows as stored, in order. */
    async insert(messages: readonly NewTicketMessage[], opts: InTransaction & { now: Date }): Promise<TicketMessageRow[]> {
      const ids = await sql.insert(TicketMessage, messages, opts);
      return messages.map((m, i) => sql.rowOf(TicketMessage, { ...m, id: ids[i]!, createdAt: opts.now, updatedAt: opts.now }));
    },

    /** Who wrote: a statement each for the aliases, the experts, the customers and the customers' aliases, however many messages. */
    async writersOf(ids: { aliasIds: readonly number[]; expertIds: readonly number[]; customerIds: readonly number[]; customerTicketIds: readonly number[] }, opts: InTransaction = {}): Promise<MessageWriters> {
      const aliases = await byIds(TicketAlias, ids.aliasIds, opts);
      const experts = await byIds(models.Expert, ids.expertIds, opts);
      const customers = await byIds(models.Customer, ids.customerIds, opts);
      const customerAliases = new Map<number, Attributes<TicketAlias>>();
      const ticketIds = [...new Set(ids.customerTicketIds)];
      if (ticketIds.length > 0) {
        const rows = await sql.select(TicketAlias, `ticket_id IN (${Sql.list(ticketIds.length)}) AND side = 'customer' AND released_at IS NULL ORDER BY id ASC`, ticketIds, opts);
        for (const a of rows) if (!customerAliases.has(a.ticketId)) customerAliases.set(a.ticketId, a);
      }
      return { aliases, experts, customers, customerAliases };
    },
  };
}

export type TicketMessagesRepository = ReturnType<typeof ticketMessagesRepository>;
