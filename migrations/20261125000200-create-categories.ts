import { DataTypes, type QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';
import { idColumn, timestampColumns, TABLE_OPTIONS } from '../src/db/migration-columns.ts';

export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.createTable('categories', {
    id: idColumn(),
    key: { type: DataTypes.STRING(64), allowNull: false, unique: true },
    name: { type: DataTypes.STRING(200), allowNull: false },
    customer_rate: { type: DataTypes.DECIMAL(10, 2), allowNull: false, defaultValue: 0 },
    expert_rate: { type: DataTypes.DECIMAL(10, 2), allowNull: false, defaultValue: 0 },
    share_customer_contact: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
    active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
    ...timestampColumns(),
  }, TABLE_OPTIONS);
};

export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.dropTable('categories');
};
