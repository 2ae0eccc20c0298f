import { DataTypes, type QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';

/**
 * The email a wizard draft's holder proved they read: set (to the draft's email, lower case as
 * the wizard keeps it) when its emailed resume link is opened. Submit applies only while it
 * equals the draft's email, so nobody can apply, or replace a pending application, with an
 * email they cannot read. NULL until a link is opened.
 */
export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.addColumn('expert_application_drafts', 'verified_email', { type: DataTypes.STRING(320), allowNull: true });
};

export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.removeColumn('expert_application_drafts', 'verified_email');
};
