import type { Attributes } from 'sequelize';
import type { Models } from '../models/index.ts';
import type { Ticket, TicketSource } from '../models/ticket.ts';
import { Sql } from '../sql.ts';
import type { InTransaction } from './in-transaction.ts';

export type TicketRow = Attributes<Ticket>;

/** Tickets: intake, dispatch, and the Zendesk relay's state on each. */
export function ticketsRepository(sql: Sql, { Ticket }: Pick<Models, 'Ticket'>) {
  return {
    // --- intake and the Zendesk relay ---

    /** Stores a new ticket; the row as written (the database's defaults filled in), without reading it back. */
    async add(values: Partial<TicketRow>, now: Date, opts: InTransaction = {}): Promise<TicketRow> {
      const [id] = await sql.insert(Ticket, [values], { ...opts, now });
      return sql.rowOf(Ticket, { ...values, id: id!, createdAt: now, updatedAt: now });
    },

    /** The ticket; with `forUpdate`, its row locked until the transaction ends (MariaDB). */
    byId(id: number, opts: InTransaction & { forUpdate?: boolean } = {}): Promise<TicketRow | undefined> {
      return sql.selectOne(Ticket, 'id = ?', [id], opts);
    },

    /** The ticket a source event filed, by the source's own id for it. */
    byExternalId(source: TicketSource, externalId: string, opts: InTransaction = {}): Promise<TicketRow | undefined> {
      return sql.selectOne(Ticket, 'source = ? AND external_id = ?', [source, externalId], opts);
    },

    /** An open ticket moved to tier 1: false when it was not open any more (another run took it). */
    async dispatchOpen(id: number, now: Date, opts: InTransaction = {}): Promise<boolean> {
      return (await sql.update(Ticket, { status: 'dispatched', tier: 1, dispatchedAt: now }, "id = ? AND status = 'open'", [id], { ...opts, now })) === 1;
    },

    /** The source was told where the ticket went (once: false when it had been). */
    async markSourceNoted(id: number, now: Date, opts: InTransaction = {}): Promise<boolean> {
      return (await sql.update(Ticket, { sourceNotedAt: now, sourceNoteUnconfirmedAt: null }, 'id = ? AND source_noted_at IS NULL', [id], { ...opts, now })) === 1;
    },

    /** The note to the source is about to go out without an answer yet: the next attempt looks for it first. */
    async markSourceNoteUnconfirmed(id: number, now: Date, opts: InTransaction = {}): Promise<void> {
      await sql.update(Ticket, { sourceNoteUnconfirmedAt: now }, 'id = ?', [id], { ...opts, now });
    },

    /** Moves the ticket's Zendesk comment cursor forward to `commentId`: false when it was there or past it already. */
    async moveZendeskCommentCursor(id: number, commentId: number, now: Date, opts: InTransaction = {}): Promise<boolean> {
      const moved = await sql.update(Ticket, { zendeskCommentCursor: String(commentId) }, 'id = ? AND (zendesk_comment_cursor IS NULL OR zendesk_comment_cursor < ?)', [id, commentId], { ...opts, now });
      return moved === 1;
    },

    /**
     * The relay mark: a job to send these tickets' Zendesk comments is queued and has not
     * started. Set on those not marked; how many that was. Cleared by clearZendeskRelayDue.
     */
    markZendeskRelayDue(ids: readonly number[], now: Date, opts: InTransaction = {}): Promise<number> {
      if (ids.length === 0) return Promise.resolve(0);
      return sql.update(Ticket, { zendeskRelayDueAt: now }, `id IN (${Sql.list(ids.length)}) AND zendesk_relay_due_at IS NULL`, ids, { ...opts, now });
    },

    /** Clears the relay mark (see markZendeskRelayDue): the job has started. Waits for the transactions holding the rows. */
    async clearZendeskRelayDue(ids: readonly number[], opts: InTransaction = {}): Promise<void> {
      if (ids.length === 0) return;
      await sql.execute(`UPDATE tickets SET zendesk_relay_due_at = NULL WHERE id IN (${Sql.list(ids.length)})`, ids, opts);
    },

    /**
     * Takes, for `owner` until `until`, the Zendesk relay lease of each of the tickets whose
     * lease is free (none, or run out by `now`), in one statement. Both CASEs read the old
     * expiry: the owner is assigned before the expiry changes.
     */
    async takeZendeskRelayLeases(ids: readonly number[], owner: string, now: Date, until: Date, opts: InTransaction = {}): Promise<void> {
      if (ids.length === 0) return;
      const free = '(zendesk_relay_lease_until IS NULL OR zendesk_relay_lease_until < ?)';
      await sql.execute(
        `UPDATE tickets SET zendesk_relay_lease_owner = CASE WHEN ${free} THEN ? ELSE zendesk_relay_lease_owner END,
                zendesk_relay_lease_until = CASE WHEN ${free} THEN ? ELSE zendesk_relay_lease_until END WHERE id IN (${Sql.list(ids.length)})`,
        [now, owner, now, until, ...ids],
        opts,
      );
    },

    /** Gives back the leases still held by their owners, in one statement. */
    async giveBackZendeskRelayLeases(leases: readonly { ticketId: number; owner: string }[], opts: InTransaction = {}): Promise<void> {
      if (leases.length === 0) return;
      await sql.execute(
        `UPDATE tickets SET zendesk_relay_lease_owner = NULL, zendesk_relay_lease_until = NULL WHERE ${leases.map(() => '(id = ? AND zendesk_relay_lease_owner = ?)').join(' OR ')}`,
        leases.flatMap((l) => [l.ticketId, l.owner]),
        opts,
      );
    },

    /** Keeps a lease its owner still holds until `until` (a wait Zendesk asked for). */
    async keepZendeskRelayLease(ticketId: number, owner: string, until: Date, opts: InTransaction = {}): Promise<void> {
      await sql.execute('UPDATE tickets SET zendesk_relay_lease_until = ? WHERE id = ? AND zendesk_relay_lease_owner = ?', [until, ticketId, owner], opts);
    },
  };
}

export type TicketsRepository = ReturnType<typeof ticketsRepository>;
