import type { Attributes } from 'sequelize';
import type { BillingEntry } from '../models/billing-entry.ts';
import type { ExpertFee } from '../models/expert-fee.ts';
import type { Models } from '../models/index.ts';
import type { Sql } from '../sql.ts';
import type { InTransaction } from './in-transaction.ts';

export type BillingEntryRow = Attributes<BillingEntry>;
export type ExpertFeeRow = Attributes<ExpertFee>;

/** Billing entries, experts' fees and statements (see the migration and docs/money.md). */
export function moneyRepository(sql: Sql, { BillingEntry, ExpertFee }: Pick<Models, 'BillingEntry' | 'ExpertFee' | 'Statement'>) {
  return {
    async addBillingEntry(entry: Omit<BillingEntryRow, 'id' | 'createdAt'>, opts: InTransaction & { now: Date }): Promise<number> {
      const [id] = await sql.insert(BillingEntry, [{ ...entry, createdAt: opts.now }], opts);
      return id!;
    },

    async addFee(fee: Omit<ExpertFeeRow, 'id' | 'createdAt' | 'statementId' | 'note'> & { note?: string | null }, opts: InTransaction & { now: Date }): Promise<number> {
      const [id] = await sql.insert(ExpertFee, [{ ...fee, createdAt: opts.now }], opts);
      return id!;
    },

    feeOfTicket(ticketId: number, opts: InTransaction = {}): Promise<ExpertFeeRow | undefined> {
      return sql.selectOne(ExpertFee, "ticket_id = ? AND kind = 'fee'", [ticketId], opts);
    },

    billingOfTicket(ticketId: number, opts: InTransaction = {}): Promise<BillingEntryRow | undefined> {
      return sql.selectOne(BillingEntry, 'ticket_id = ?', [ticketId], opts);
    },
  };
}

export type MoneyRepository = ReturnType<typeof moneyRepository>;
