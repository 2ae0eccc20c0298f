import { DataTypes, type QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';
import { idColumn, reference, timestampColumns, TABLE_OPTIONS } from '../src/db/migration-columns.ts';

/**
 * Deliveries of transcript messages outside Slack (a Zendesk comment, an email), one row per
 * message and channel. Slack deliveries are slack_messages rows. Zendesk deliveries of one
 * ticket are sent together, as one comment, under a shared `batch_key`.
 */
export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.createTable(
    'message_deliveries',
    {
      id: idColumn(),
      message_id: reference('ticket_messages', { onDelete: 'CASCADE' }),
      ticket_id: reference('tickets', { onDelete: 'CASCADE' }),
      channel: { type: DataTypes.STRING(16), allowNull: false },
      status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'pending' },
      batch_key: { type: DataTypes.STRING(64), allowNull: true },
      attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      last_error: { type: DataTypes.TEXT, allowNull: true },
      delivered_at: { type: DataTypes.DATE(3), allowNull: true },
      ...timestampColumns(),
    },
    TABLE_OPTIONS,
  );
  await qi.addIndex('message_deliveries', ['ticket_id', 'channel', 'status'], { name: 'message_deliveries_ticket_channel' });
  await qi.addIndex('message_deliveries', ['message_id', 'channel'], { name: 'message_deliveries_message_channel', unique: true });
};

export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.dropTable('message_deliveries');
};
