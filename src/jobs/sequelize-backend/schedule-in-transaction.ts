import { toJobId, type JobParameters } from 'agenda';
import type { Transaction } from 'sequelize';
import { afterCommit } from '../../db/unit-of-work.ts';
import type { SequelizeBackend } from './sequelize-backend.ts';

export interface TransactionalJob<DATA> {
  name: string;
  data: DATA;
  /** When it is due; now if omitted. */
  runAt?: Date;
  priority?: number;
  /** Fields (`data.ticketId`, …) that identify the job: a second schedule updates the first. */
  unique?: Record<string, unknown>;
  /** With `unique`: a trailing debounce (a burst of schedules runs the job once, `delay` ms after the last, at most `maxWait` ms after the first). */
  uniqueOpts?: { debounce?: { delay: number; maxWait?: number } };
}

/**
 * Writes a job row inside the caller's transaction. Rolled back, the job never existed;
 * committed, it runs: the local Agenda is nudged after commit, other processes find it at
 * their next poll. Agenda's own API cannot do this, as its calls carry no transaction.
 */
export async function scheduleInTransaction<DATA>(backend: SequelizeBackend, transaction: Transaction, job: TransactionalJob<DATA>, workerName?: string): Promise<JobParameters> {
  const saved = await backend.repository.saveJobIn(
    {
      name: job.name,
      data: job.data,
      priority: job.priority ?? 0,
      nextRunAt: job.runAt ?? new Date(),
      type: 'normal',
      unique: job.unique,
      uniqueOpts: job.uniqueOpts,
    },
    { lastModifiedBy: workerName },
    transaction,
  );
  afterCommit(transaction, () => {
    void backend.notificationChannel
      .publish({ jobId: toJobId(String(saved._id)), jobName: saved.name, nextRunAt: saved.nextRunAt, priority: saved.priority, timestamp: new Date() })
      .catch(() => {
        // Only a nudge: the next poll finds the job anyway.
      });
  });
  return saved;
}
