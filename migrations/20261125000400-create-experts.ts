import { DataTypes, type QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';
import { idColumn, timestampColumns, TABLE_OPTIONS } from '../src/db/migration-columns.ts';

export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.createTable('experts', {
    id: idColumn(),
    slack_user_id: { type: DataTypes.STRING(32), allowNull: true, unique: true },
    name: { type: DataTypes.STRING(200), allowNull: false },
    email: { type: DataTypes.STRING(320), allowNull: true },
    phone: { type: DataTypes.STRING(64), allowNull: true },
    checked_in: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
    suspended_at: { type: DataTypes.DATE(3), allowNull: true },
    last_paged_at: { type: DataTypes.DATE(3), allowNull: true },
    ...timestampColumns(),
  }, TABLE_OPTIONS);
};

export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.dropTable('experts');
};
