import { DataTypes, type QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';
import { idColumn, TABLE_OPTIONS } from '../src/db/migration-columns.ts';

/**
 * Secrets the server made for itself, by name: without SESSION_SECRET, one generated at
 * the first start and kept here, so that survey links and widget tokens handed out before
 * a restart still work after it.
 */
export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.createTable(
    'app_secrets',
    {
      id: idColumn(),
      name: { type: DataTypes.STRING(64), allowNull: false },
      value: { type: DataTypes.STRING(128), allowNull: false },
      created_at: { type: DataTypes.DATE(3), allowNull: false },
    },
    TABLE_OPTIONS,
  );
  await qi.addIndex('app_secrets', ['name'], { unique: true, name: 'app_secrets_name' });
};

export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.dropTable('app_secrets');
};
