import { DataTypes, type QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';
import { idColumn, reference, timestampColumns, TABLE_OPTIONS } from '../src/db/migration-columns.ts';

/**
 * An expert's application (from `/helpnet join` or the portal): years of experience, a
 * summary, two referees (JSON), the categories applied for with a self-rated level (JSON),
 * and the managers' decision. `pending_expert_id` is the expert's id while the application
 * waits and NULL once decided: its unique index keeps one pending application per expert.
 */
export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.createTable(
    'expert_applications',
    {
      id: idColumn(),
      expert_id: reference('experts', { onDelete: 'CASCADE' }),
      pending_expert_id: { type: DataTypes.INTEGER, allowNull: true },
      status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'pending' },
      years_experience: { type: DataTypes.INTEGER, allowNull: false },
      summary: { type: DataTypes.TEXT, allowNull: false },
      referees: { type: DataTypes.TEXT, allowNull: false },
      categories: { type: DataTypes.TEXT, allowNull: false },
      decided_by: { type: DataTypes.STRING(64), allowNull: true },
      decided_at: { type: DataTypes.DATE(3), allowNull: true },
      reject_reason: { type: DataTypes.TEXT, allowNull: true },
      ...timestampColumns(),
    },
    TABLE_OPTIONS,
  );
  await qi.addIndex('expert_applications', ['pending_expert_id'], { unique: true, name: 'expert_applications_one_pending' });
  await qi.addIndex('expert_applications', ['expert_id'], { name: 'expert_applications_expert' });
  await qi.addIndex('expert_applications', ['status'], { name: 'expert_applications_status' });
};

export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.dropTable('expert_applications');
};
