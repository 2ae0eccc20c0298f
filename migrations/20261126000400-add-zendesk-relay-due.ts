import { DataTypes, type QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';

/**
 * Set while a job to send a ticket's Zendesk comments is on its way, so messages written
 * meanwhile (which that job will carry) do not each queue another.
 */
export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.addColumn('tickets', 'zendesk_relay_due_at', { type: DataTypes.DATE(3), allowNull: true });
};

export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.removeColumn('tickets', 'zendesk_relay_due_at');
};
