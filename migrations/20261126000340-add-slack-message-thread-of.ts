import { DataTypes, type QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';

/** Slack messages: the thread parent a reply goes under. */
export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.addColumn('slack_messages', 'thread_of', { type: DataTypes.INTEGER, allowNull: true, references: { model: 'slack_messages', key: 'id' }, onDelete: 'CASCADE', onUpdate: 'CASCADE' });
};

export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.removeColumn('slack_messages', 'thread_of');
};
