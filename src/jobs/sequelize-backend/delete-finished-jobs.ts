import { QueryTypes, type Sequelize } from 'sequelize';

/**
 * Deletes one-off jobs that finished (or finally failed) before `before`; repeating jobs
 * and anything still due or running are kept. Returns how many went.
 */
export async function deleteFinishedJobs(sequelize: Sequelize, before: Date): Promise<number> {
  return (await sequelize.query(
    `DELETE FROM agenda_jobs
     WHERE type = 'normal' AND next_run_at IS NULL AND locked_at IS NULL
       AND COALESCE(last_finished_at, failed_at, updated_at) < ?`,
    { replacements: [before.getTime()], type: QueryTypes.BULKDELETE },
  )) as unknown as number;
}
