import type { Attributes } from 'sequelize';
import type { CustomerAccount } from '../models/customer-account.ts';
import type { PortalSession } from '../models/portal-session.ts';
import type { Models } from '../models/index.ts';
import type { Sql } from '../sql.ts';
import type { InTransaction } from './in-transaction.ts';

export type CustomerAccountRow = Attributes<CustomerAccount>;
export type PortalSessionRow = Attributes<PortalSession>;

type Write = InTransaction & { now: Date };

/** Customers' portal accounts and their signed-in sessions. */
export function customerAccountsRepository(sql: Sql, { Customer, CustomerAccount, PortalSession }: Pick<Models, 'Customer' | 'CustomerAccount' | 'PortalSession'>) {
  return {
    byId(id: number, opts: InTransaction & { forUpdate?: boolean } = {}): Promise<CustomerAccountRow | undefined> {
      return sql.selectOne(CustomerAccount, 'id = ?', [id], opts);
    },

    /** The account signing in with this email (stored in lower case). */
    byEmail(email: string, opts: InTransaction & { forUpdate?: boolean } = {}): Promise<CustomerAccountRow | undefined> {
      return sql.selectOne(CustomerAccount, 'email = ?', [email], opts);
    },

    byConfirmTokenHash(hash: string, opts: InTransaction & { forUpdate?: boolean } = {}): Promise<CustomerAccountRow | undefined> {
      return sql.selectOne(CustomerAccount, 'confirm_token_hash = ?', [hash], opts);
    },

    /** The account with a pending password reset whose token hashes to this (expired or not: the caller checks). */
    byResetTokenHash(hash: string, opts: InTransaction & { forUpdate?: boolean } = {}): Promise<CustomerAccountRow | undefined> {
      return sql.selectOne(CustomerAccount, 'reset_token_hash = ?', [hash], opts);
    },

    /** A new account; its id. A second account for the same email fails on the unique index. */
    async add(row: Omit<CustomerAccountRow, 'id' | 'createdAt' | 'updatedAt' | 'emailConfirmedAt' | 'resetSalt' | 'resetTokenHash' | 'resetExpiresAt'>, opts: Write): Promise<number> {
      const [id] = await sql.insert(CustomerAccount, [row], opts);
      return id!;
    },

    async update(id: number, changes: Partial<CustomerAccountRow>, opts: Write): Promise<void> {
      await sql.update(CustomerAccount, changes, 'id = ?', [id], opts);
    },

    /** The oldest customer with exactly this email who has no account yet (a widget, Zendesk or Slack customer). */
    async unclaimedCustomerByEmail(email: string, opts: InTransaction = {}) {
      const rows = await sql.select(Customer, 'email = ? AND id NOT IN (SELECT customer_id FROM customer_accounts) ORDER BY id ASC', [email], opts);
      return rows.find((c) => c.email === email);
    },

    /** Moves what a customer row has (tickets, billing) to another: the account's placeholder row gives way to the claimed one. */
    async moveCustomerRecords(fromCustomerId: number, toCustomerId: number, opts: InTransaction = {}): Promise<void> {
      await sql.execute('UPDATE tickets SET customer_id = ? WHERE customer_id = ?', [toCustomerId, fromCustomerId], opts);
      await sql.execute('UPDATE billing_entries SET customer_id = ? WHERE customer_id = ?', [toCustomerId, fromCustomerId], opts);
    },

    /** How many tickets a customer has (whatever their status). */
    async ticketCount(customerId: number, opts: InTransaction = {}): Promise<number> {
      const [row] = await sql.query<{ n: number }>('SELECT COUNT(*) AS n FROM tickets WHERE customer_id = ?', [customerId], opts);
      return Number(row?.n ?? 0);
    },

    /** A new session; its row id. */
    async addSession(row: { idHash: string; accountId: number; csrfSecret: string; expiresAt: Date }, opts: Write): Promise<number> {
      const [id] = await sql.insert(PortalSession, [row], opts);
      return id!;
    },

    /** The session whose cookie id hashes to this, if it has not expired. */
    sessionByHash(idHash: string, now: Date, opts: InTransaction = {}): Promise<PortalSessionRow | undefined> {
      return sql.selectOne(PortalSession, 'id_hash = ? AND expires_at > ?', [idHash, now], opts);
    },

    async deleteSession(idHash: string, opts: InTransaction = {}): Promise<void> {
      await sql.execute('DELETE FROM portal_sessions WHERE id_hash = ?', [idHash], opts);
    },

    /** Ends every session of an account but the one kept (after a password change; null keeps none); how many. */
    async deleteOtherSessions(accountId: number, keepIdHash: string | null, opts: InTransaction = {}): Promise<number> {
      return sql.execute('DELETE FROM portal_sessions WHERE account_id = ? AND id_hash <> ?', [accountId, keepIdHash ?? ''], opts);
    },

    /** Forgets expired sessions; how many. */
    async deleteExpiredSessions(now: Date, opts: InTransaction = {}): Promise<number> {
      return sql.execute('DELETE FROM portal_sessions WHERE expires_at <= ?', [now], opts);
    },
  };
}

export type CustomerAccountsRepository = ReturnType<typeof customerAccountsRepository>;
