import { DataTypes, type QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';
import { idColumn, reference, timestampColumns, TABLE_OPTIONS } from '../src/db/migration-columns.ts';

export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.createTable('tickets', {
    id: idColumn(),
    category_id: reference('categories'),
    customer_id: reference('customers'),
    source: { type: DataTypes.STRING(16), allowNull: false },
    external_id: { type: DataTypes.STRING(128), allowNull: true },
    status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'open' },
    urgency: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'normal' },
    subject: { type: DataTypes.STRING(500), allowNull: true },
    // MEDIUMTEXT on MySQL (TEXT stops at 64 KB); SQLite's TEXT has no such limit.
    description: { type: qi.sequelize.getDialect() === 'mysql' ? DataTypes.TEXT('medium') : DataTypes.TEXT, allowNull: false },
    tier: { type: DataTypes.INTEGER, allowNull: true },
    dispatched_at: { type: DataTypes.DATE(3), allowNull: true },
    booked_at: { type: DataTypes.DATE(3), allowNull: true },
    resolved_at: { type: DataTypes.DATE(3), allowNull: true },
    closed_at: { type: DataTypes.DATE(3), allowNull: true },
    ...timestampColumns(),
  }, TABLE_OPTIONS);
  // One ticket per source event: a repeated webhook finds the ticket it already made.
  await qi.addIndex('tickets', ['source', 'external_id'], { unique: true, name: 'tickets_source_external' });
  await qi.addIndex('tickets', ['status', 'category_id'], { name: 'tickets_status_category' });
  await qi.addIndex('tickets', ['customer_id'], { name: 'tickets_customer' });
};

export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.dropTable('tickets');
};
