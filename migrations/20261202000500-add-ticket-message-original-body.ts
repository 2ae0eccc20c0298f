import { DataTypes, type QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';

/**
 * What the writer of a message wrote, where scrubbing changed it (null where it did not):
 * the writer is shown their own words — a widget customer seeing their message come back
 * as "It is Clever Crane" would learn their alias — while the other side gets only the
 * scrubbed body. MEDIUMTEXT on MySQL/MariaDB, as the body is.
 */
export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  const type = qi.sequelize.getDialect() === 'mysql' ? DataTypes.TEXT('medium') : DataTypes.TEXT;
  await qi.addColumn('ticket_messages', 'original_body', { type, allowNull: true });
};

export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.removeColumn('ticket_messages', 'original_body');
};
