import { DataTypes, type QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';

/**
 * The employment history an application gives (the portal's wizard asks for it; the Slack
 * modal does not): JSON `[{ employer, role, from, to, description }]`, NULL when none was given.
 */
export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  const type = qi.sequelize.getDialect() === 'mysql' ? DataTypes.TEXT('medium') : DataTypes.TEXT;
  await qi.addColumn('expert_applications', 'employment', { type, allowNull: true });
};

export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.removeColumn('expert_applications', 'employment');
};
