import { DataTypes, type QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';
import { idColumn, timestampColumns, TABLE_OPTIONS } from '../src/db/migration-columns.ts';

export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.createTable('groups', {
    id: idColumn(),
    key: { type: DataTypes.STRING(64), allowNull: false, unique: true },
    name: { type: DataTypes.STRING(200), allowNull: false },
    channel_id: { type: DataTypes.STRING(32), allowNull: false },
    page_top: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 3 },
    active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
    ...timestampColumns(),
  }, TABLE_OPTIONS);
};

export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.dropTable('groups');
};
