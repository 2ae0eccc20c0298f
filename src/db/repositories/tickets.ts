import type { Models } from '../models/index.ts';
import type { Sql } from '../sql.ts';

/** The SQL on the Ticket table (see repositories/index.ts). */
export function ticketsRepository(sql: Sql, { Ticket }: Pick<Models, 'Ticket'>) {
  void sql;
  void Ticket;
  return {};
}

export type TicketsRepository = ReturnType<typeof ticketsRepository>;
