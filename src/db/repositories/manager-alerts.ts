import { UniqueConstraintError, type Transaction } from 'sequelize';
import type { Models } from '../models/index.ts';
import type { Sql } from '../sql.ts';

/** The alerts the managers are sent once, by once key. */
export function managerAlertsRepository(sql: Sql, { ManagerAlert }: Pick<Models, 'ManagerAlert'>) {
  return {
    /**
     * Takes `onceKey` in the caller's transaction: true when this caller is the first to
     * take it, false when it was taken already — also by a transaction that took it at
     * the same time and committed first (the unique index decides).
     */
    async takeOnceKey(onceKey: string, about: string, opts: { transaction: Transaction; now: Date }): Promise<boolean> {
      const { transaction } = opts;
      if (await sql.selectOne(ManagerAlert, 'once_key = ?', [onceKey], { transaction })) return false;
      // In a savepoint, so that losing to a concurrent taker leaves the caller's transaction
      // usable. (Unmanaged: a managed transaction must not start inside another.)
      const savepoint = await ManagerAlert.sequelize!.transaction({ transaction });
      try {
        await sql.insert(ManagerAlert, [{ onceKey, about, createdAt: opts.now }], { transaction: savepoint });
        await savepoint.commit();
        return true;
      } catch (err) {
        await savepoint.rollback();
        if (err instanceof UniqueConstraintError) return false;
        throw err;
      }
    },
  };
}

export type ManagerAlertsRepository = ReturnType<typeof managerAlertsRepository>;
