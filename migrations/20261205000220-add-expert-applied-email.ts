import { DataTypes, type QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';

/**
 * The email an expert applied with from outside Slack (the portal's wizard), lower case and
 * unique: `experts.email` has no unique index (imported experts may share one), so without
 * this two portal applications with the same new email at the same instant would each find
 * no expert and add one. With it the second insert fails, and applyAsExpert finds the first.
 * NULL for everyone else (any number of NULLs may share a unique index, on both engines).
 */
export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.addColumn('experts', 'applied_email', { type: DataTypes.STRING(320), allowNull: true });
  await qi.addIndex('experts', ['applied_email'], { unique: true, name: 'experts_applied_email' });
};

export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.removeIndex('experts', 'experts_applied_email');
  await qi.removeColumn('experts', 'applied_email');
};
