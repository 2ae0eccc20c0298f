import type { Attributes } from 'sequelize';
import type { Models } from '../models/index.ts';
import type { Ticket, TicketSource } from '../models/ticket.ts';
import { Sql } from '../sql.ts';
import type { InTransaction } from './in-transaction.ts';

export type TicketRow = Attributes<Ticket>;

/** What Slack may be shown of a ticket's customer (scrubbed from the ticket's text unless the category shares it). */
export interface TicketCustomer {
  name: string | null;
  email: string | null;
  phone: string | null;
  company: string | null;
  slackNames: string | null;
  formerIdentity: string | null;
}

/** True when the expert (the first parameter) is approved for the ticket's category and not suspended (SQL on `tickets`). */
const EXPERT_QUALIFIED = `EXISTS (SELECT 1 FROM expert_skills s JOIN experts e ON e.id = s.expert_id
  WHERE s.expert_id = ? AND s.category_id = tickets.category_id AND s.status = 'approved' AND e.suspended_at IS NULL)`;

/** Tickets: intake, dispatch, booking, who filed them, and the Zendesk relay's state on each. */
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

    /** The ticket posted to tier `tier` (the first post's time is kept). */
    async markDispatched(id: number, tier: number, dispatchedAt: Date, now: Date, opts: InTransaction = {}): Promise<void> {
      await sql.update(Ticket, { status: 'dispatched', tier, dispatchedAt }, 'id = ?', [id], { ...opts, now });
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

    // --- booking, relaying and rendering a ticket (Slack side) ---

    /** Closes a ticket waiting for its survey; false when it was not waiting. */
    async markClosed(id: number, now: Date, opts: InTransaction = {}): Promise<boolean> {
      return (await sql.update(Ticket, { status: 'closed', closedAt: now }, "id = ? AND status = 'close_pending'", [id], { ...opts, now })) === 1;
    },

    /** The tickets, locked for update in id order (so two transactions locking several never deadlock). */
    lockByIds(ids: readonly number[], opts: InTransaction = {}): Promise<TicketRow[]> {
      const sorted = [...new Set(ids)].sort((a, b) => a - b);
      if (sorted.length === 0) return Promise.resolve([]);
      return sql.select(Ticket, `id IN (${Sql.list(sorted.length)}) ORDER BY id`, sorted, { ...opts, forUpdate: true });
    },

    /** A ticket's status and whether an expert may book it, in one plain read; undefined when there is no such ticket. */
    async bookingState(ticketId: number, expertId: number): Promise<{ status: TicketRow['status']; qualified: boolean } | undefined> {
      const [row] = await sql.query<{ status: TicketRow['status']; qualified: number | string }>(`SELECT status, ${EXPERT_QUALIFIED} AS qualified FROM tickets WHERE id = ?`, [expertId, ticketId]);
      return row ? { status: row.status, qualified: !!Number(row.qualified) } : undefined;
    },

    /**
     * Books the ticket for the expert if it is still unbooked and they are approved for its
     * category and not suspended: one conditional write, so of simultaneous attempts (in any
     * process) exactly one wins. True for the one that did.
     */
    async claimBooking(ticketId: number, expertId: number, opts: InTransaction & { now: Date }): Promise<boolean> {
      const claimed = await sql.update(Ticket, { status: 'booked', bookedAt: opts.now, expertId }, `id = ? AND status IN ('open', 'dispatched') AND ${EXPERT_QUALIFIED}`, [ticketId, expertId], opts);
      return claimed === 1;
    },

    /** The ticket's customer as Slack may be shown them, and the name of the ticket's latest customer alias, in one statement. */
    async customerWithAlias(ticketId: number, customerId: number): Promise<{ customer: TicketCustomer | null; alias: string | null }> {
      const [row] = await sql.query<{ name: string | null; email: string | null; phone: string | null; company: string | null; slack_names: string | null; former_identity: string | null; alias: string | null }>(
        `SELECT cu.name, cu.email, cu.phone, cu.company, cu.slack_names, cu.former_identity,
                (SELECT a.name FROM ticket_aliases a WHERE a.ticket_id = ? AND a.side = 'customer' ORDER BY a.id DESC LIMIT 1) AS alias
           FROM customers cu WHERE cu.id = ?`,
        [ticketId, customerId],
      );
      if (!row) return { customer: null, alias: null };
      return { customer: { name: row.name, email: row.email, phone: row.phone, company: row.company, slackNames: row.slack_names, formerIdentity: row.former_identity }, alias: row.alias };
    },
  };
}

export type TicketsRepository = ReturnType<typeof ticketsRepository>;
