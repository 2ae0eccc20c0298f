import { DataTypes, type QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';
import { idColumn, timestampColumns, TABLE_OPTIONS } from '../src/db/migration-columns.ts';

export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.createTable('customers', {
    id: idColumn(),
    name: { type: DataTypes.STRING(200), allowNull: true },
    email: { type: DataTypes.STRING(320), allowNull: true },
    phone: { type: DataTypes.STRING(64), allowNull: true },
    company: { type: DataTypes.STRING(200), allowNull: true },
    city: { type: DataTypes.STRING(200), allowNull: true },
    slack_user_id: { type: DataTypes.STRING(32), allowNull: true, unique: true },
    zendesk_user_id: { type: DataTypes.STRING(32), allowNull: true, unique: true },
    ...timestampColumns(),
  }, TABLE_OPTIONS);
  await qi.addIndex('customers', ['email'], { name: 'customers_email' });
};

export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.dropTable('customers');
};
