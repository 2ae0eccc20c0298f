import { DataTypes, type QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';

/** Slack messages: the transcript message a relayed reply carries. */
export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.addColumn('slack_messages', 'ticket_message_id', { type: DataTypes.INTEGER, allowNull: true, references: { model: 'ticket_messages', key: 'id' }, onDelete: 'CASCADE', onUpdate: 'CASCADE' });
};

export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.removeColumn('slack_messages', 'ticket_message_id');
};
