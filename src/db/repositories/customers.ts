import type { Models } from '../models/index.ts';
import type { Sql } from '../sql.ts';

/** The SQL on the Customer table (see repositories/index.ts). */
export function customersRepository(sql: Sql, { Customer }: Pick<Models, 'Customer'>) {
  void sql;
  void Customer;
  return {};
}

export type CustomersRepository = ReturnType<typeof customersRepository>;
