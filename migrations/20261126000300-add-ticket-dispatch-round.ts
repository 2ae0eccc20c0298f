import { DataTypes, type QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';

/** Tickets: which dispatch round they are in (a release starts a new one, so an escalation
 * left from the round before does nothing). */
export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.addColumn('tickets', 'dispatch_round', { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1 });
};

export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.removeColumn('tickets', 'dispatch_round');
};
