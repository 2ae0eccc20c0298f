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

    /** Lets a ticket's names (one side's, or both) go: they may be given to later tickets. */
    release(ticketId: number, side: AliasSide | undefined, opts: InTransaction & { now: Date }): Promise<number> {
      return sql.update(TicketAlias, { activeName: null, releasedAt: opts.now }, `ticket_id = ? AND released_at IS NULL${side ? ' AND side = ?' : ''}`, side ? [ticketId, side] : [ticketId], opts);
    },
  };
}

export type TicketAliasesRepository = ReturnType<typeof ticketAliasesRepository>;
