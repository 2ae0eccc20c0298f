import { QueryTypes, type Sequelize } from 'sequelize';

/**
 * A dead letter: a one-off job given up after failing (its retry policy said no more), kept
 * with its payload and last error until an operator retries it. Its last run failed
 * (`failed_at` is its `last_finished_at`) and nothing is due.
 */
export const DEAD_LETTER = `type = 'normal' AND next_run_at IS NULL AND locked_at IS NULL AND failed_at IS NOT NULL AND last_finished_at IS NOT NULL AND failed_at = last_finished_at`;

export interface DeadLetter {
  id: string;
  name: string;
  data: unknown;
  failCount: number;
  failReason: string | null;
  failedAt: Date;
}

/** Every dead letter, most recent first. */
export async function listDeadLetters(sequelize: Sequelize): Promise<DeadLetter[]> {
  const rows = await sequelize.query<{ id: number | string; name: string; data: string | null; fail_count: number | string | null; fail_reason: string | null; failed_at: number | string }>(
    `SELECT id, name, data, fail_count, fail_reason, failed_at FROM agenda_jobs WHERE ${DEAD_LETTER} ORDER BY failed_at DESC, id DESC`,
    { type: QueryTypes.SELECT },
  );
  return rows.map((r) => ({
    id: String(r.id),
    name: r.name,
    data: r.data === null ? null : (JSON.parse(r.data) as unknown),
    failCount: Number(r.fail_count ?? 0),
    failReason: r.fail_reason,
    failedAt: new Date(Number(r.failed_at)),
  }));
}

/**
 * Makes a dead letter due now, with its tries counted afresh (the cause is thought fixed).
 * False when `id` is no dead letter (unknown, or running or due already).
 */
export async function retryDeadLetter(sequelize: Sequelize, id: string, now: Date): Promise<boolean> {
  if (!/^\d{1,18}$/.test(id)) return false;
  const changed = (await sequelize.query(`UPDATE agenda_jobs SET next_run_at = ?, fail_count = 0, updated_at = ? WHERE id = ? AND ${DEAD_LETTER}`, {
    replacements: [now.getTime(), now.getTime(), id],
    type: QueryTypes.BULKUPDATE,
  })) as unknown as number;
  return changed === 1;
}
