import { DataTypes, type QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';

/** The ranking score paging orders by, and the working hours paging respects. */
export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.addColumn('experts', 'score', { type: DataTypes.DOUBLE, allowNull: true });
  await qi.addColumn('experts', 'working_hours', { type: DataTypes.TEXT, allowNull: true });
};

export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.removeColumn('experts', 'working_hours');
  await qi.removeColumn('experts', 'score');
};
