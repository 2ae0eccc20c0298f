import type { Attributes } from 'sequelize';
import type { Customer } from '../models/customer.ts';
import type { Models } from '../models/index.ts';
import type { Sql } from '../sql.ts';
import type { InTransaction } from './in-transaction.ts';

export type CustomerRow = Attributes<Customer>;

/** What identifies a customer at a source, by attribute: their Slack id, Zendesk id, email. */
export type CustomerKeys = Partial<Record<'slackUserId' | 'zendeskUserId' | 'email', string | null | undefined>>;

const KEY_COLUMNS = { slackUserId: 'slack_user_id', zendeskUserId: 'zendesk_user_id', email: 'email' } as const;

/** Customers: who asked, how to find them again, and the contact to scrub from what they write. */
export function customersRepository(sql: Sql, { Customer }: Pick<Models, 'Customer'>) {
  return {
    byId(id: number, opts: InTransaction & { forUpdate?: boolean } = {}): Promise<CustomerRow | undefined> {
      return sql.selectOne(Customer, 'id = ?', [id], opts);
    },

    /** The customers any of `keys` matches, oldest first, in one statement (the caller picks the exact match: collations differ). */
    matching(keys: CustomerKeys, opts: InTransaction = {}): Promise<CustomerRow[]> {
      const given = (Object.keys(KEY_COLUMNS) as (keyof CustomerKeys)[]).filter((k) => !!keys[k]);
      if (given.length === 0) return Promise.resolve([]);
      return sql.select(Customer, `${given.map((k) => `${KEY_COLUMNS[k]} = ?`).join(' OR ')} ORDER BY id ASC`, given.map((k) => keys[k]), opts);
    },

    /** A new customer's id. */
    async add(row: Partial<CustomerRow>, now: Date, opts: InTransaction = {}): Promise<number> {
      const [id] = await sql.insert(Customer, [row], { ...opts, now });
      return id!;
    },

    async update(id: number, changes: Partial<CustomerRow>, now: Date, opts: InTransaction = {}): Promise<void> {
      await sql.update(Customer, changes, 'id = ?', [id], { ...opts, now });
    },
  };
}

export type CustomersRepository = ReturnType<typeof customersRepository>;
