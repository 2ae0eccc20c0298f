import { DataTypes, type QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';

/** The level an expert rated themselves at in a category when they applied for it (see domain/experts/expert-levels.ts); null when not given. */
export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.addColumn('expert_skills', 'level', { type: DataTypes.STRING(16), allowNull: true });
};

export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.removeColumn('expert_skills', 'level');
};
