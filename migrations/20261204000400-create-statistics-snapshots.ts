import { DataTypes, type QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';
import { idColumn, TABLE_OPTIONS } from '../src/db/migration-columns.ts';

/**
 * The statistics the managers' Home shows (last 7 and 30 days), computed by a job every few
 * minutes and kept here, one row per range: the Home reads a row instead of every ticket of
 * the range, so building it costs the same for 2,000 tickets or 200,000.
 */
export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.createTable(
    'statistics_snapshots',
    {
      id: idColumn(),
      days: { type: DataTypes.INTEGER, allowNull: false },
      summary: { type: DataTypes.TEXT, allowNull: false },
      computed_at: { type: DataTypes.DATE(3), allowNull: false },
    },
    TABLE_OPTIONS,
  );
  await qi.addIndex('statistics_snapshots', ['days'], { unique: true, name: 'statistics_snapshots_days' });
};

export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.dropTable('statistics_snapshots');
};
