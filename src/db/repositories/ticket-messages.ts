import type { Models } from '../models/index.ts';
import type { Sql } from '../sql.ts';

/** The SQL on the TicketMessage table (see repositories/index.ts). */
export function ticketMessagesRepository(sql: Sql, { TicketMessage }: Pick<Models, 'TicketMessage'>) {
  void sql;
  void TicketMessage;
  return {};
}

export type TicketMessagesRepository = ReturnType<typeof ticketMessagesRepository>;
