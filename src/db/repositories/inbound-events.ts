import type { Models } from '../models/index.ts';
import type { Sql } from '../sql.ts';

/** The SQL on the InboundEvent table (see repositories/index.ts). */
export function inboundEventsRepository(sql: Sql, { InboundEvent }: Pick<Models, 'InboundEvent'>) {
  void sql;
  void InboundEvent;
  return {};
}

export type InboundEventsRepository = ReturnType<typeof inboundEventsRepository>;
