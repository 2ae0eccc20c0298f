import { DataTypes, type QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';

/**
 * An account's pending password-reset link, as its confirmation link is kept: the random salt
 * the token is derived from (under the server's secret), only the token's SHA-256 (unique,
 * looked up by the link), and when it stops working (1 hour). One per account: asking again
 * replaces it; using it clears all three.
 */
export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.addColumn('customer_accounts', 'reset_salt', { type: DataTypes.STRING(64), allowNull: true });
  await qi.addColumn('customer_accounts', 'reset_token_hash', { type: DataTypes.STRING(64), allowNull: true });
  await qi.addColumn('customer_accounts', 'reset_expires_at', { type: DataTypes.DATE(3), allowNull: true });
  await qi.addIndex('customer_accounts', ['reset_token_hash'], { unique: true, name: 'customer_accounts_reset_token' });
};

export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.removeIndex('customer_accounts', 'customer_accounts_reset_token');
  for (const column of ['reset_expires_at', 'reset_token_hash', 'reset_salt']) {
    // SQLite drops the column in place (3.35+); Sequelize's way there copies the table and loses its indexes.
    if (qi.sequelize.getDialect() === 'sqlite') await qi.sequelize.query(`ALTER TABLE customer_accounts DROP COLUMN ${column}`);
    else await qi.removeColumn('customer_accounts', column);
  }
};
