import type { Models } from '../models/index.ts';
import type { Sql } from '../sql.ts';

/** The SQL on the TicketAlias table (see repositories/index.ts). */
export function ticketAliasesRepository(sql: Sql, { TicketAlias }: Pick<Models, 'TicketAlias'>) {
  void sql;
  void TicketAlias;
  return {};
}

export type TicketAliasesRepository = ReturnType<typeof ticketAliasesRepository>;
