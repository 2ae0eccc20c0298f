import { DataTypes, type QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';
import { idColumn, TABLE_OPTIONS } from '../src/db/migration-columns.ts';

/**
 * The alerts posted to the managers that must go out once (a Zendesk ticket no category
 * matches, Zendesk refusing Helpnet's credentials): one row per `once_key`, whose unique
 * index makes concurrent callers agree on one alert. `about` says what it was about (JSON).
 */
export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.createTable(
    'manager_alerts',
    {
      id: idColumn(),
      once_key: { type: DataTypes.STRING(191), allowNull: false },
      about: { type: DataTypes.TEXT, allowNull: false },
      created_at: { type: DataTypes.DATE(3), allowNull: false },
    },
    TABLE_OPTIONS,
  );
  await qi.addIndex('manager_alerts', ['once_key'], { unique: true, name: 'manager_alerts_once_key' });
};

export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.dropTable('manager_alerts');
};
