import { DataTypes, type QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';
import { idColumn, TABLE_OPTIONS } from '../src/db/migration-columns.ts';

/**
 * Who looks at their App Home, and which page of each list they were on: a ticket's change
 * republishes the Homes of the qualified experts who opened theirs lately (not of every
 * expert), and a republished Home stays on the pages its viewer chose (see docs/app-home.md).
 */
export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.createTable(
    'home_views',
    {
      id: idColumn(),
      slack_user_id: { type: DataTypes.STRING(32), allowNull: false },
      opened_at: { type: DataTypes.DATE(3), allowNull: true },
      pages: { type: DataTypes.TEXT, allowNull: true },
      updated_at: { type: DataTypes.DATE(3), allowNull: false },
    },
    TABLE_OPTIONS,
  );
  await qi.addIndex('home_views', ['slack_user_id'], { unique: true, name: 'home_views_slack_user' });
  await qi.addIndex('home_views', ['opened_at'], { name: 'home_views_opened_at' });
};

export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.dropTable('home_views');
};
