import { DataTypes, type QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';
import { idColumn, reference, timestampColumns, TABLE_OPTIONS } from '../src/db/migration-columns.ts';

export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.createTable('expert_skills', {
    id: idColumn(),
    expert_id: reference('experts', { onDelete: 'CASCADE' }),
    category_id: reference('categories'),
    status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'applied' },
    experience: { type: DataTypes.TEXT, allowNull: true },
    decided_at: { type: DataTypes.DATE(3), allowNull: true },
    decided_by: { type: DataTypes.STRING(32), allowNull: true },
    ...timestampColumns(),
  }, TABLE_OPTIONS);
  await qi.addIndex('expert_skills', ['expert_id', 'category_id'], { unique: true, name: 'expert_skills_expert_category' });
  await qi.addIndex('expert_skills', ['category_id', 'status'], { name: 'expert_skills_category_status' });
};

export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.dropTable('expert_skills');
};
