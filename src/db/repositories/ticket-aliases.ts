import type { Attributes } from 'sequelize';
import type { Models } from '../models/index.ts';
import type { AliasSide, TicketAlias } from '../models/ticket-alias.ts';
import { Sql } from '../sql.ts';
import type { InTransaction } from './in-transaction.ts';

export type TicketAliasRow = Attributes<TicketAlias>;

/** The names each side of a ticket goes by; a name in use is held once (`active_name`, unique). */
export function ticketAliasesRepository(sql: Sql, { TicketAlias }: Pick<Models, 'TicketAlias'>) {
  return {
    byId(id: number, opts: InTransaction = {}): Promise<TicketAliasRow | undefined> {
      return sql.selectOne(TicketAlias, 'id = ?', [id], opts);
    },

    /** Those of `names` in use now, in one statement. */
    async takenNames(names: readonly string[], opts: InTransaction = {}): Promise<Set<string>> {
      if (names.length === 0) return new Set();
      const rows = await sql.query<{ active_name: string }>(`SELECT active_name FROM ticket_aliases WHERE active_name IN (${Sql.list(names.length)})`, names, opts);
      return new Set(rows.map((a) => a.active_name));
    },

    /** Holds a name for one side of a ticket; a name held meanwhile fails on the unique index (UniqueConstraintError). */
    async hold(alias: { ticketId: number; side: AliasSide; expertId: number | null; name: string }, opts: InTransaction = {}): Promise<number> {
      const [id] = await sql.insert(TicketAlias, [{ ...alias, activeName: alias.name }], opts);
      return id!;
    },

    /** The expert's alias for the ticket's current booking, while it is not released. */
    currentExpertAlias(ticketId: number, expertId: number, opts: InTransaction = {}): Promise<TicketAliasRow | undefined> {
      return sql.selectOne(TicketAlias, "ticket_id = ? AND side = 'expert' AND expert_id = ? AND released_at IS NULL ORDER BY id DESC", [ticketId, expertId], opts);
    },

    /** The expert who had the ticket last (its newest expert alias), if anyone has booked it. */
    async latestExpertOf(ticketId: number, opts: InTransaction = {}): Promise<number | undefined> {
      const [last] = await sql.query<{ expert_id: number | string | null }>("SELECT expert_id FROM ticket_aliases WHERE ticket_id = ? AND side = 'expert' ORDER BY id DESC LIMIT 1", [ticketId], opts);
      return last?.expert_id === null || last?.expert_id === undefined ? undefined : Number(last.expert_id);
    },

    /** Lets a ticket's names (one side's, or both) go: they may be given to later tickets. */
    release(ticketId: number, side: AliasSide | undefined, opts: InTransaction & { now: Date }): Promise<number> {
      return sql.update(TicketAlias, { activeName: null, releasedAt: opts.now }, `ticket_id = ? AND released_at IS NULL${side ? ' AND side = ?' : ''}`, side ? [ticketId, side] : [ticketId], opts);
    },
  };
}

export type TicketAliasesRepository = ReturnType<typeof ticketAliasesRepository>;
