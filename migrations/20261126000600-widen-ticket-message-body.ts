import { DataTypes, type QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';

/**
 * A message may be long (Slack allows 40,000 characters; a Zendesk comment more): on
 * MySQL/MariaDB TEXT stops at 64 KB, which 33,000 Cyrillic characters exceed, so the body
 * becomes MEDIUMTEXT as tickets.description is. SQLite's TEXT has no such limit.
 */
export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  if (qi.sequelize.getDialect() !== 'mysql') return;
  await qi.changeColumn('ticket_messages', 'body', { type: DataTypes.TEXT('medium'), allowNull: false });
};

export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  if (qi.sequelize.getDialect() !== 'mysql') return;
  await qi.changeColumn('ticket_messages', 'body', { type: DataTypes.TEXT, allowNull: false });
};
