import { DataTypes, type QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';
import { idColumn, reference, timestampColumns, TABLE_OPTIONS } from '../src/db/migration-columns.ts';

/**
 * The names each side of a ticket goes by. `active_name` equals `name` while the alias is in
 * use and is NULL once released: a unique index on it keeps names unique among active
 * tickets while letting released names be reused (MySQL has no partial indexes).
 */
export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.createTable(
    'ticket_aliases',
    {
      id: idColumn(),
      ticket_id: reference('tickets', { onDelete: 'CASCADE' }),
      side: { type: DataTypes.STRING(8), allowNull: false },
      expert_id: reference('experts', { allowNull: true, onDelete: 'SET NULL' }),
      name: { type: DataTypes.STRING(64), allowNull: false },
      active_name: { type: DataTypes.STRING(64), allowNull: true },
      released_at: { type: DataTypes.DATE(3), allowNull: true },
      ...timestampColumns(),
    },
    TABLE_OPTIONS,
  );
  await qi.addIndex('ticket_aliases', ['active_name'], { unique: true, name: 'ticket_aliases_active_name' });
  await qi.addIndex('ticket_aliases', ['ticket_id', 'side'], { name: 'ticket_aliases_ticket_side' });
};

export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.dropTable('ticket_aliases');
};
