import { DataTypes, type QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';
import { idColumn, reference, timestampColumns, TABLE_OPTIONS } from '../src/db/migration-columns.ts';

/**
 * A customer's portal account: the sign-in email (lower case, unique), the argon2id hash of
 * the password, the address they gave, and whether the email is confirmed. It belongs to one
 * customer row (unique): a new one at sign-up, or — once the email is confirmed — the
 * widget, Zendesk or Slack customer who already had that email, whose tickets it then claims.
 * Only the SHA-256 of a confirmation token is stored, with the salt it is derived from.
 */
export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.createTable(
    'customer_accounts',
    {
      id: idColumn(),
      customer_id: reference('customers', { onDelete: 'CASCADE' }),
      email: { type: DataTypes.STRING(320), allowNull: false },
      password_hash: { type: DataTypes.STRING(200), allowNull: false },
      first_name: { type: DataTypes.STRING(100), allowNull: false },
      last_name: { type: DataTypes.STRING(100), allowNull: false },
      company: { type: DataTypes.STRING(200), allowNull: true },
      address: { type: DataTypes.STRING(200), allowNull: false },
      city: { type: DataTypes.STRING(100), allowNull: false },
      state: { type: DataTypes.STRING(100), allowNull: true },
      zip: { type: DataTypes.STRING(20), allowNull: false },
      country: { type: DataTypes.STRING(100), allowNull: false },
      heard_from: { type: DataTypes.STRING(200), allowNull: true },
      email_confirmed_at: { type: DataTypes.DATE(3), allowNull: true },
      confirm_salt: { type: DataTypes.STRING(64), allowNull: true },
      confirm_token_hash: { type: DataTypes.STRING(64), allowNull: true },
      confirm_expires_at: { type: DataTypes.DATE(3), allowNull: true },
      ...timestampColumns(),
    },
    TABLE_OPTIONS,
  );
  await qi.addIndex('customer_accounts', ['email'], { unique: true, name: 'customer_accounts_email' });
  await qi.addIndex('customer_accounts', ['customer_id'], { unique: true, name: 'customer_accounts_customer' });
  await qi.addIndex('customer_accounts', ['confirm_token_hash'], { unique: true, name: 'customer_accounts_confirm_token' });
};

export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.dropTable('customer_accounts');
};
