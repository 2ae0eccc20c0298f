import { DataTypes, type QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';

/**
 * The names an expert or a Slack customer goes by in Slack (display name, real name,
 * handle), as a JSON array: what they might sign a message with, scrubbed like their name.
 */
export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.addColumn('experts', 'slack_names', { type: DataTypes.TEXT, allowNull: true });
  await qi.addColumn('customers', 'slack_names', { type: DataTypes.TEXT, allowNull: true });
};

export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.removeColumn('experts', 'slack_names');
  await qi.removeColumn('customers', 'slack_names');
};
