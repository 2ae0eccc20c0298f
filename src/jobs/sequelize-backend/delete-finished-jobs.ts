import { QueryTypes, type Sequelize } from 'sequelize';
import { DEAD_LETTER } from './dead-letters.ts';

/**
 * Deletes one-off jobs that finished before `before`; repeating jobs, anything still due
 * or running, and dead letters (kept until an operator retries them) stay. Returns how
 * many went.
 */
export async function deleteFinishedJobs(sequelize: Sequelize, before: Date): Promise<number> {
  return (await sequelize.query(
    `DELETE FROM agenda_jobs
     WHERE type = 'normal' AND next_run_at IS NULL AND locked_at IS NULL
       AND COALESCE(last_finished_at, failed_at, updated_at) < ? AND NOT (${DEAD_LETTER})`,
    { replacements: [before.getTime()], type: QueryTypes.BULKDELETE },
  )) as unknown as number;
}
