import { DataTypes, type QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';

/**
 * When a post of the message was last sent to Slack without Slack's answer arriving (a time-out,
 * a dropped connection, a crash): Slack may have it, so the next attempt looks for it first
 * instead of posting it a second time.
 */
export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.addColumn('slack_messages', 'post_unconfirmed_at', { type: DataTypes.DATE(3), allowNull: true });
};

export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.removeColumn('slack_messages', 'post_unconfirmed_at');
};
