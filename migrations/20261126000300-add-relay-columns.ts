import { DataTypes, type QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';

/**
 * Tickets: which dispatch round they are in (a release starts a new one, so an escalation
 * left from the round before does nothing), the last Zendesk comment read, the lease of the
 * one job sending a ticket's Zendesk comments, and the expert's resolution notes.
 * Slack messages: the thread parent a reply goes under, the transcript message it carries,
 * and (on a thread parent) the lease of the one job posting its replies, so they keep their order.
 */
export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.addColumn('tickets', 'dispatch_round', { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1 });
  await qi.addColumn('tickets', 'zendesk_comment_cursor', { type: DataTypes.BIGINT, allowNull: true });
  await qi.addColumn('tickets', 'zendesk_relay_lease_until', { type: DataTypes.DATE(3), allowNull: true });
  await qi.addColumn('tickets', 'resolution_notes', { type: DataTypes.TEXT, allowNull: true });
  await qi.addColumn('slack_messages', 'thread_of', { type: DataTypes.INTEGER, allowNull: true, references: { model: 'slack_messages', key: 'id' }, onDelete: 'CASCADE', onUpdate: 'CASCADE' });
  await qi.addColumn('slack_messages', 'ticket_message_id', { type: DataTypes.INTEGER, allowNull: true, references: { model: 'ticket_messages', key: 'id' }, onDelete: 'CASCADE', onUpdate: 'CASCADE' });
  await qi.addColumn('slack_messages', 'replies_lease_until', { type: DataTypes.DATE(3), allowNull: true });
  await qi.addIndex('slack_messages', ['ts'], { name: 'slack_messages_ts' });
  await qi.addIndex('slack_messages', ['thread_of', 'status'], { name: 'slack_messages_thread' });
};

export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.removeIndex('slack_messages', 'slack_messages_ts');
  await qi.removeColumn('slack_messages', 'replies_lease_until');
  await qi.removeColumn('slack_messages', 'ticket_message_id');
  // MariaDB will not drop an index a foreign key uses: drop the column first, then what is
  // left of the index (SQLite rebuilds the table without it).
  await qi.removeColumn('slack_messages', 'thread_of');
  const indexes = (await qi.showIndex('slack_messages')) as { name: string }[];
  if (indexes.some((i) => i.name === 'slack_messages_thread')) await qi.removeIndex('slack_messages', 'slack_messages_thread');
  await qi.removeColumn('tickets', 'resolution_notes');
  await qi.removeColumn('tickets', 'zendesk_relay_lease_until');
  await qi.removeColumn('tickets', 'zendesk_comment_cursor');
  await qi.removeColumn('tickets', 'dispatch_round');
};
