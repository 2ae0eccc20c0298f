import { DataTypes, type QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';
import { idColumn, reference, timestampColumns, TABLE_OPTIONS } from '../src/db/migration-columns.ts';

/**
 * Every message Helpnet posts to Slack, written before it is sent (the delivery job reads
 * it) and kept after, with the `ts` Slack gave it, so it can be updated later and is never
 * posted twice.
 */
export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.createTable(
    'slack_messages',
    {
      id: idColumn(),
      ticket_id: reference('tickets', { allowNull: true, onDelete: 'CASCADE' }),
      purpose: { type: DataTypes.STRING(32), allowNull: false },
      tier: { type: DataTypes.INTEGER, allowNull: true },
      expert_id: reference('experts', { allowNull: true, onDelete: 'SET NULL' }),
      channel: { type: DataTypes.STRING(32), allowNull: false },
      details: { type: DataTypes.TEXT, allowNull: true },
      status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'pending' },
      ts: { type: DataTypes.STRING(32), allowNull: true },
      attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      last_error: { type: DataTypes.TEXT, allowNull: true },
      sent_at: { type: DataTypes.DATE(3), allowNull: true },
      ...timestampColumns(),
    },
    TABLE_OPTIONS,
  );
  await qi.addIndex('slack_messages', ['ticket_id', 'purpose'], { name: 'slack_messages_ticket_purpose' });
  await qi.addIndex('slack_messages', ['status'], { name: 'slack_messages_status' });
};

export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.dropTable('slack_messages');
};
