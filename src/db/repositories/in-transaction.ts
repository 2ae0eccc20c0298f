import type { Transaction } from 'sequelize';

/** Every repository method takes the unit of work's transaction it runs in, if any. */
export interface InTransaction {
  transaction?: Transaction | null;
}
