import { DataTypes, type QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';
import { idColumn, reference, timestampColumns, TABLE_OPTIONS } from '../src/db/migration-columns.ts';

/**
 * A signed-in portal session: the SHA-256 of the cookie's random id (the id itself is never
 * stored), the account, when it ends, and the secret its forms' CSRF tokens are made from.
 */
export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.createTable(
    'portal_sessions',
    {
      id: idColumn(),
      id_hash: { type: DataTypes.STRING(64), allowNull: false },
      account_id: reference('customer_accounts', { onDelete: 'CASCADE' }),
      csrf_secret: { type: DataTypes.STRING(64), allowNull: false },
      expires_at: { type: DataTypes.DATE(3), allowNull: false },
      ...timestampColumns(),
    },
    TABLE_OPTIONS,
  );
  await qi.addIndex('portal_sessions', ['id_hash'], { unique: true, name: 'portal_sessions_id_hash' });
  await qi.addIndex('portal_sessions', ['account_id'], { name: 'portal_sessions_account' });
  await qi.addIndex('portal_sessions', ['expires_at'], { name: 'portal_sessions_expires' });
};

export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.dropTable('portal_sessions');
};
