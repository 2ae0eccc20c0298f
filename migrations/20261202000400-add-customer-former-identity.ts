import { DataTypes, type QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';

/**
 * A returning customer's contact takes the newest values they give; every name, address,
 * phone, company and Slack name they gave before is kept here (JSON) so it is still
 * scrubbed from what they write. MEDIUMTEXT on MySQL/MariaDB, where TEXT stops at 64 KB.
 */
export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  const type = qi.sequelize.getDialect() === 'mysql' ? DataTypes.TEXT('medium') : DataTypes.TEXT;
  await qi.addColumn('customers', 'former_identity', { type, allowNull: true });
};

export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.removeColumn('customers', 'former_identity');
};
