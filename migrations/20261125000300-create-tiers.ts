import { DataTypes, type QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';
import { idColumn, reference, timestampColumns, TABLE_OPTIONS } from '../src/db/migration-columns.ts';

export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.createTable('tiers', {
    id: idColumn(),
    category_id: reference('categories', { onDelete: 'CASCADE' }),
    group_id: reference('groups'),
    position: { type: DataTypes.INTEGER, allowNull: false },
    timeout_minutes: { type: DataTypes.DOUBLE, allowNull: false },
    ...timestampColumns(),
  }, TABLE_OPTIONS);
  await qi.addIndex('tiers', ['category_id', 'position'], { unique: true, name: 'tiers_category_position' });
  await qi.addIndex('tiers', ['group_id'], { name: 'tiers_group' });
};

export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.dropTable('tiers');
};
