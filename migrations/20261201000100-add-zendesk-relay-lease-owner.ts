import { DataTypes, type QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';

/**
 * Who holds a ticket's Zendesk relay lease: senders take the leases of many tickets in one
 * UPDATE and tell which they got by this token, not by the expiry (which two senders could
 * write to the same millisecond).
 */
export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.addColumn('tickets', 'zendesk_relay_lease_owner', { type: DataTypes.STRING(64), allowNull: true });
};

export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.removeColumn('tickets', 'zendesk_relay_lease_owner');
};
