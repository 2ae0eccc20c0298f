import type { QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';

/** Slack messages are found by their ts (a DM reply names its thread by it). */
export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.addIndex('slack_messages', ['ts'], { name: 'slack_messages_ts' });
};

export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.removeIndex('slack_messages', 'slack_messages_ts');
};
