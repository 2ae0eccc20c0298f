import { DataTypes, type QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';

/**
 * A unique job's identity (its `unique` fields and values, see
 * sequelize-job-repository.ts upsertUnique) in a column of its own, indexed with the name:
 * scheduling one again (an App Home's coalesced publishing, per viewer) is an index lookup
 * that locks only that job's row, not a read of every job of the name.
 */
export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.addColumn('agenda_jobs', 'unique_key', { type: DataTypes.STRING(191), allowNull: true });
  await qi.addIndex('agenda_jobs', ['name', 'unique_key'], { name: 'agenda_jobs_unique_key' });
};

export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.removeIndex('agenda_jobs', 'agenda_jobs_unique_key');
  // SQLite drops the column in place (3.35+); Sequelize's way there copies the table and loses its indexes.
  if (qi.sequelize.getDialect() === 'sqlite') await qi.sequelize.query('ALTER TABLE agenda_jobs DROP COLUMN unique_key');
  else await qi.removeColumn('agenda_jobs', 'unique_key');
};
