import type { Models } from '../models/index.ts';
import type { TicketMessage } from '../models/ticket-message.ts';
import { Sql } from '../sql.ts';
import type { InTransaction } from './in-transaction.ts';

/** A delivery waiting to go to Zendesk, with its message and its ticket's state. */
export interface ZendeskWaitingRow {
  id: number;
  ticket_id: number;
  status: 'pending' | 'sending';
  batch_key: string | null;
  side: TicketMessage['side'];
  alias_name: string | null;
  body: string;
  /** A survey notice's survey (its link is added when sent), with what the link needs. */
  survey_id: number | null;
  survey_salt: string | null;
  survey_status: string | null;
  external_id: string | null;
  lease_owner: string | null;
  lease_until: unknown;
  /** Updates of the ticket since the time asked for (batches delivered). */
  recent_updates: number | string;
}

/** A delivered Zendesk batch's message, in order. */
export interface ZendeskDeliveredRow {
  batch_key: string;
  side: TicketMessage['side'];
  alias_name: string | null;
  body: string;
  survey_id: number | null;
  survey_salt: string | null;
  survey_status: string | null;
}

/** Deliveries of transcript messages to a channel (Zendesk comments, emails), each sent once. */
export function deliveriesRepository(sql: Sql, { MessageDelivery }: Pick<Models, 'MessageDelivery'>) {
  return {
    /** Records deliveries to make (each then queued as a job), in one statement; their ids in order. */
    add(deliveries: readonly { messageId: number; ticketId: number; channel: 'zendesk' | 'email' }[], opts: InTransaction & { now: Date }): Promise<number[]> {
      return sql.insert(MessageDelivery, deliveries, opts);
    },

    // --- the Zendesk relay ---

    /**
     * The Zendesk deliveries waiting (pending, or being sent) for these tickets, with their
     * messages in order, their tickets' Zendesk id and lease, and how many batches each
     * ticket had delivered since `updatesSince`: one statement.
     */
    waitingForZendesk(ticketIds: readonly number[], updatesSince: Date, opts: InTransaction = {}): Promise<ZendeskWaitingRow[]> {
      if (ticketIds.length === 0) return Promise.resolve([]);
      return sql.query<ZendeskWaitingRow>(
        `SELECT d.id, d.ticket_id, d.status, d.batch_key, m.side, m.alias_name, m.body, m.survey_id, s.token_salt AS survey_salt, s.status AS survey_status, t.external_id,
                t.zendesk_relay_lease_owner AS lease_owner, t.zendesk_relay_lease_until AS lease_until,
                (SELECT COUNT(DISTINCT r.batch_key) FROM message_deliveries r
                  WHERE r.ticket_id = d.ticket_id AND r.channel = 'zendesk' AND r.status = 'delivered' AND r.delivered_at > ?) AS recent_updates
           FROM message_deliveries d JOIN ticket_messages m ON m.id = d.message_id JOIN tickets t ON t.id = d.ticket_id
                LEFT JOIN surveys s ON s.id = m.survey_id
          WHERE d.ticket_id IN (${Sql.list(ticketIds.length)}) AND d.channel = 'zendesk' AND d.status IN ('pending', 'sending') ORDER BY m.id ASC`,
        [updatesSince, ...ticketIds],
        opts,
      );
    },

    /** Marks pending deliveries as being sent, each ticket's under its batch key, in one statement. */
    async markSending(batches: readonly { ticketId: number; batchKey: string; deliveryIds: readonly number[] }[], now: Date, opts: InTransaction = {}): Promise<void> {
      const ids = batches.flatMap((b) => b.deliveryIds);
      if (ids.length === 0) return;
      await sql.execute(
        `UPDATE message_deliveries SET status = 'sending', batch_key = CASE ticket_id ${batches.map(() => 'WHEN ? THEN ?').join(' ')} END, updated_at = ?
          WHERE id IN (${Sql.list(ids.length)}) AND status = 'pending'`,
        [...batches.flatMap((b) => [b.ticketId, b.batchKey]), now, ...ids],
        opts,
      );
    },

    /** The batches being sent went out: delivered, in one statement. */
    async markDelivered(batchKeys: readonly string[], now: Date, opts: InTransaction = {}): Promise<void> {
      if (batchKeys.length === 0) return;
      await sql.update(MessageDelivery, { status: 'delivered', deliveredAt: now, lastError: null }, `batch_key IN (${Sql.list(batchKeys.length)}) AND status = 'sending'`, batchKeys, { ...opts, now });
    },

    /** A batch's send failed: counted, with why; `failed` when it will not be retried, else still being sent. */
    async recordBatchFailure(batchKey: string, error: string, status: 'failed' | 'sending', now: Date, opts: InTransaction = {}): Promise<void> {
      await sql.execute('UPDATE message_deliveries SET attempts = attempts + 1, last_error = ?, status = ?, updated_at = ? WHERE batch_key = ?', [error, status, now, batchKey], opts);
    },

    /** Every Zendesk delivery still waiting for a ticket fails, with why. */
    async failWaitingForZendesk(ticketId: number, error: string, now: Date, opts: InTransaction = {}): Promise<void> {
      await sql.execute("UPDATE message_deliveries SET status = 'failed', last_error = ?, updated_at = ? WHERE ticket_id = ? AND channel = 'zendesk' AND status IN ('pending', 'sending')", [error, now, ticketId], opts);
    },

    /** When each Zendesk batch of the ticket delivered since `since` went out, oldest first. */
    async zendeskBatchesDeliveredSince(ticketId: number, since: Date, opts: InTransaction = {}): Promise<Date[]> {
      const rows = await sql.query<{ at: unknown }>(
        `SELECT MAX(delivered_at) AS at FROM message_deliveries
          WHERE ticket_id = ? AND channel = 'zendesk' AND status = 'delivered' AND delivered_at > ? GROUP BY batch_key ORDER BY at ASC`,
        [ticketId, since],
        opts,
      );
      return rows.map((r) => (r.at instanceof Date ? r.at : new Date(String(r.at))));
    },

    /** The messages of the ticket's delivered Zendesk batches, in order. */
    deliveredToZendesk(ticketId: number, opts: InTransaction = {}): Promise<ZendeskDeliveredRow[]> {
      return sql.query<ZendeskDeliveredRow>(
        `SELECT d.batch_key, m.side, m.alias_name, m.body, m.survey_id, s.token_salt AS survey_salt, s.status AS survey_status
           FROM message_deliveries d JOIN ticket_messages m ON m.id = d.message_id LEFT JOIN surveys s ON s.id = m.survey_id
          WHERE d.ticket_id = ? AND d.channel = 'zendesk' AND d.status = 'delivered' ORDER BY m.id ASC`,
        [ticketId],
        opts,
      );
    },
  };
}

export type DeliveriesRepository = ReturnType<typeof deliveriesRepository>;
