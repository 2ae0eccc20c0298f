import { QueryTypes, type QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';

/**
 * Customers are matched by email in lower case from now on (see domain/customers/rules.ts):
 * the addresses stored as a source gave them (Zendesk keeps the case people type) are put
 * in that form, so a returning customer is found on SQLite as on MariaDB. Done in
 * JavaScript, whose lower case covers every script (SQLite's LOWER() only ASCII). Two
 * customers who differ only in the case of their address stay two records; the earlier is
 * the one found from now on.
 */
export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  const rows = await qi.sequelize.query<{ id: number; email: string }>('SELECT id, email FROM customers WHERE email IS NOT NULL', { type: QueryTypes.SELECT });
  for (const { id, email } of rows) {
    const normal = email.trim().toLowerCase();
    if (normal !== email) await qi.sequelize.query('UPDATE customers SET email = ? WHERE id = ?', { replacements: [normal === '' ? null : normal, id] });
  }
};

/** The case the addresses were given in is not kept: nothing to undo. */
export const down: MigrationFn<QueryInterface> = async () => {};
