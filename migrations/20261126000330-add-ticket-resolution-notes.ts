import { DataTypes, type QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';

/** Tickets: the expert's notes of how the problem was solved. */
export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.addColumn('tickets', 'resolution_notes', { type: DataTypes.TEXT, allowNull: true });
};

export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.removeColumn('tickets', 'resolution_notes');
};
