import { DataTypes, type QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';

/** Tickets: the lease of the one job sending a ticket's Zendesk comments. */
export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.addColumn('tickets', 'zendesk_relay_lease_until', { type: DataTypes.DATE(3), allowNull: true });
};

export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.removeColumn('tickets', 'zendesk_relay_lease_until');
};
