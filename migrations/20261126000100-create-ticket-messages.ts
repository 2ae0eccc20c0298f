import { DataTypes, type QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';
import { idColumn, reference, timestampColumns, TABLE_OPTIONS } from '../src/db/migration-columns.ts';

/**
 * The transcript: every message between a ticket's customer and expert (and Helpnet's own
 * notices to the customer), stored before it is delivered. `source_key` is the message's
 * identity at its origin (Slack event, Zendesk comment, widget submission), so a repeated
 * delivery of the same origin message is stored once.
 */
export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.createTable(
    'ticket_messages',
    {
      id: idColumn(),
      ticket_id: reference('tickets', { onDelete: 'CASCADE' }),
      side: { type: DataTypes.STRING(16), allowNull: false },
      alias_name: { type: DataTypes.STRING(64), allowNull: true },
      expert_id: reference('experts', { allowNull: true, onDelete: 'SET NULL' }),
      body: { type: DataTypes.TEXT, allowNull: false },
      via: { type: DataTypes.STRING(16), allowNull: false },
      source_key: { type: DataTypes.STRING(191), allowNull: true, unique: true },
      ...timestampColumns(),
    },
    TABLE_OPTIONS,
  );
  await qi.addIndex('ticket_messages', ['ticket_id', 'id'], { name: 'ticket_messages_ticket' });
};

export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.dropTable('ticket_messages');
};
