import { DataTypes, type QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';
import { idColumn, timestampColumns, TABLE_OPTIONS } from '../src/db/migration-columns.ts';

/**
 * Webhook deliveries as received, stored before they are acknowledged and processed by a
 * job: a delivery Helpnet answered 200 to is never lost, and a repeated one (same
 * `dedupe_key`) is recognised.
 */
export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.createTable(
    'inbound_events',
    {
      id: idColumn(),
      source: { type: DataTypes.STRING(16), allowNull: false },
      dedupe_key: { type: DataTypes.STRING(191), allowNull: false },
      payload: { type: qi.sequelize.getDialect() === 'mysql' ? DataTypes.TEXT('medium') : DataTypes.TEXT, allowNull: false },
      status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'received' },
      error: { type: DataTypes.TEXT, allowNull: true },
      processed_at: { type: DataTypes.DATE(3), allowNull: true },
      ...timestampColumns(),
    },
    TABLE_OPTIONS,
  );
  await qi.addIndex('inbound_events', ['source', 'dedupe_key'], { unique: true, name: 'inbound_events_source_key' });
};

export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.dropTable('inbound_events');
};
