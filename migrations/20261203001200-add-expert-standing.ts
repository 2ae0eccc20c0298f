import { DataTypes, type QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';

/**
 * Why an expert was suspended (shown to them and the managers), and how many surveys they
 * have had since they were last reviewed (suspended or reinstated): a reinstated expert is
 * judged again only after `ranking.minSurveys` new surveys, not on the next one.
 */
export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.addColumn('experts', 'suspension_reason', { type: DataTypes.TEXT, allowNull: true });
  await qi.addColumn('experts', 'surveys_since_review', { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 });
};

export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.removeColumn('experts', 'surveys_since_review');
  await qi.removeColumn('experts', 'suspension_reason');
};
