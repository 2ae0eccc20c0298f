import { DataTypes, type QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';

/** Tickets: the last Zendesk comment read into the relay. */
export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.addColumn('tickets', 'zendesk_comment_cursor', { type: DataTypes.BIGINT, allowNull: true });
};

export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.removeColumn('tickets', 'zendesk_comment_cursor');
};
