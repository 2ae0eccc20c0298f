import type { QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';

/** A thread's replies are found by their parent and status. */
export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.addIndex('slack_messages', ['thread_of', 'status'], { name: 'slack_messages_thread' });
};

export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  // MariaDB will not drop an index a foreign key uses (thread_of's): the index that replaces it
  // for the key is added first.
  await qi.addIndex('slack_messages', ['thread_of'], { name: 'slack_messages_thread_of' });
  await qi.removeIndex('slack_messages', 'slack_messages_thread');
};
