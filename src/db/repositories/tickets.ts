import type { Attributes } from 'sequelize';
import type { Models } from '../models/index.ts';
import type { Ticket } from '../models/ticket.ts';
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

/** Tickets: their state, who has booked them, and who filed them. */
export function ticketsRepository(sql: Sql, { Ticket }: Pick<Models, 'Ticket'>) {
  return {
    // Booking, relaying and rendering a ticket (Slack side).

    byId(id: number, opts: InTransaction = {}): Promise<TicketRow | undefined> {
      return sql.selectOne(Ticket, 'id = ?', [id], opts);
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
