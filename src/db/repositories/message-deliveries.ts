import type { Models } from '../models/index.ts';
import type { Sql } from '../sql.ts';

/** The SQL on the MessageDelivery table (see repositories/index.ts). */
export function deliveriesRepository(sql: Sql, { MessageDelivery }: Pick<Models, 'MessageDelivery'>) {
  void sql;
  void MessageDelivery;
  return {};
}

export type DeliveriesRepository = ReturnType<typeof deliveriesRepository>;
