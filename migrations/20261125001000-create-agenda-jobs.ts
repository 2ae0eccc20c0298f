import { DataTypes, type QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';
import { TABLE_OPTIONS } from '../src/db/migration-columns.ts';

/**
 * Agenda's jobs, in the app's own database so a job can be written in the same transaction
 * as the rows it concerns. Times are UTC milliseconds since the epoch (BIGINT): the same on
 * both engines, no time-zone conversion, cheap to compare in the due-job scan.
 */
export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  const ms = { type: DataTypes.BIGINT, allowNull: true };
  await qi.createTable(
    'agenda_jobs',
    {
      id: { type: DataTypes.BIGINT, autoIncrement: true, primaryKey: true, allowNull: false },
      name: { type: DataTypes.STRING(191), allowNull: false },
      priority: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      next_run_at: ms,
      type: { type: DataTypes.STRING(10), allowNull: false, defaultValue: 'normal' },
      // Equals `name` for type 'single' (jobs made by every()), NULL otherwise: a unique index
      // on it allows one row per single job name, which MySQL cannot say with a partial index.
      single_name: { type: DataTypes.STRING(191), allowNull: true },
      locked_at: ms,
      last_run_at: ms,
      last_finished_at: ms,
      failed_at: ms,
      fail_count: { type: DataTypes.INTEGER, allowNull: true },
      fail_reason: { type: DataTypes.TEXT, allowNull: true },
      repeat_interval: { type: DataTypes.STRING(255), allowNull: true },
      repeat_timezone: { type: DataTypes.STRING(100), allowNull: true },
      repeat_at: { type: DataTypes.STRING(255), allowNull: true },
      data: { type: DataTypes.TEXT, allowNull: true },
      disabled: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      progress: { type: DataTypes.DOUBLE, allowNull: true },
      fork: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      last_modified_by: { type: DataTypes.STRING(191), allowNull: true },
      debounce_started_at: ms,
      start_date: ms,
      end_date: ms,
      skip_days: { type: DataTypes.STRING(64), allowNull: true },
      created_at: { type: DataTypes.BIGINT, allowNull: false },
      updated_at: { type: DataTypes.BIGINT, allowNull: false },
    },
    TABLE_OPTIONS,
  );
  // The due-job scan, an index range read with no sort:
  // WHERE name = ? AND disabled = 0 AND locked_at IS NULL AND next_run_at <= ? ORDER BY next_run_at, priority DESC LIMIT 1
  await qi.addIndex('agenda_jobs', { name: 'agenda_jobs_due', fields: ['name', 'disabled', 'locked_at', 'next_run_at', { name: 'priority', order: 'DESC' }] });
  // Reclaiming expired locks: WHERE name = ? AND locked_at <= ?.
  await qi.addIndex('agenda_jobs', ['name', 'locked_at'], { name: 'agenda_jobs_locked' });
  await qi.addIndex('agenda_jobs', ['single_name'], { unique: true, name: 'agenda_jobs_single_name' });
  await qi.addIndex('agenda_jobs', ['next_run_at'], { name: 'agenda_jobs_next_run_at' });
};

export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.dropTable('agenda_jobs');
};
