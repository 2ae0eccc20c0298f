import type { Attributes } from 'sequelize';
import type { BillingEntry } from '../models/billing-entry.ts';
import type { ExpertFee } from '../models/expert-fee.ts';
import type { Models } from '../models/index.ts';
import type { Statement } from '../models/statement.ts';
import { Sql } from '../sql.ts';
import type { InTransaction } from './in-transaction.ts';

export type BillingEntryRow = Attributes<BillingEntry>;
export type ExpertFeeRow = Attributes<ExpertFee>;
export type StatementRow = Attributes<Statement>;

/** A statement to write: an expert's total of the fees it takes, for a period, in one currency. */
export type NewStatement = Omit<StatementRow, 'id' | 'createdAt'>;

/** One row of the payouts export: an expert's total for a period in one currency. */
export interface PayoutLine {
  slackUserId: string | null;
  name: string;
  tickets: number;
  amountMinor: number;
  currency: string;
}

/** One row of the billing export: a closed ticket's billing entry, with who and what. */
export interface BillingLine {
  ticketId: number;
  occurredAt: Date;
  categoryKey: string;
  customerName: string | null;
  customerEmail: string | null;
  amountMinor: number;
  currency: string;
}

/** SQLite hands back dates of a raw query as text; MariaDB's driver as Dates. */
const toDate = (v: unknown): Date => (v instanceof Date ? v : new Date(String(v)));
/** Sums of BIGINTs come back as text (MariaDB's DECIMAL) or numbers: whole minor units either way. */
function toMinor(v: unknown): number {
  const n = Number(v ?? 0);
  if (!Number.isSafeInteger(n)) throw new Error(`amount ${String(v)} is not a whole number of minor units`);
  return n;
}

/** How many ids go in one `IN (…)` list (well below SQLite's limit on parameters). */
const CHUNK = 500;

/**
 * Billing entries, experts' fees and statements (see the migration and docs/money.md).
 * Statements are only ever inserted: there is no method to change or delete one, and a fee
 * is assigned to a statement only while it has none.
 */
export function moneyRepository(sql: Sql, { BillingEntry, ExpertFee, Statement }: Pick<Models, 'BillingEntry' | 'ExpertFee' | 'Statement'>) {
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

    /** When the oldest fee or correction no statement has taken yet occurred; undefined if none. */
    async oldestUnstatedAt(opts: InTransaction = {}): Promise<Date | undefined> {
      const [row] = await sql.query<{ at: unknown }>('SELECT MIN(occurred_at) AS at FROM expert_fees WHERE statement_id IS NULL', [], opts);
      return row?.at ? toDate(row.at) : undefined;
    },

    /** The end of the latest period any statement was written for; undefined before the first. */
    async statementsWrittenUntil(opts: InTransaction = {}): Promise<Date | undefined> {
      const [row] = await sql.query<{ until: unknown }>('SELECT MAX(period_end) AS until FROM statements', [], opts);
      return row?.until ? toDate(row.until) : undefined;
    },

    /** Whether any statement was written for the period with this label. */
    async hasStatementsFor(period: string, opts: InTransaction = {}): Promise<boolean> {
      return (await sql.selectOne(Statement, 'period = ?', [period], opts)) !== undefined;
    },

    /**
     * The fees and corrections no statement has taken that occurred before `end`, locked
     * (MariaDB) until the transaction ends, so the statements written from them take exactly these.
     */
    unstatedFeesBefore(end: Date, opts: InTransaction = {}): Promise<ExpertFeeRow[]> {
      return sql.select(ExpertFee, 'statement_id IS NULL AND occurred_at < ? ORDER BY id', [end], { ...opts, forUpdate: true });
    },

    /** Inserts statements; returns their ids in order. */
    addStatements(statements: readonly NewStatement[], opts: InTransaction & { now: Date }): Promise<number[]> {
      return sql.insert(Statement, statements.map((s) => ({ ...s, createdAt: opts.now })), opts);
    },

    /**
     * Gives the fees `feeIds` to a statement, each only if no statement has it yet; returns
     * how many it took (fewer than asked means another writer took some: roll back).
     */
    async assignFees(statementId: number, feeIds: readonly number[], opts: InTransaction = {}): Promise<number> {
      let taken = 0;
      for (let i = 0; i < feeIds.length; i += CHUNK) {
        const ids = feeIds.slice(i, i + CHUNK);
        taken += await sql.execute(`UPDATE expert_fees SET statement_id = ? WHERE statement_id IS NULL AND id IN (${Sql.list(ids.length)})`, [statementId, ...ids], opts);
      }
      return taken;
    },

    /** The statements of a period, as read back (tests check them against their fees). */
    statementsOf(period: string, opts: InTransaction = {}): Promise<StatementRow[]> {
      return sql.select(Statement, 'period = ? ORDER BY expert_id, currency', [period], opts);
    },

    /** The fees and corrections a statement took. */
    feesOfStatement(statementId: number, opts: InTransaction = {}): Promise<ExpertFeeRow[]> {
      return sql.select(ExpertFee, 'statement_id = ? ORDER BY id', [statementId], opts);
    },

    /** The payouts of a period as its statements have them, one line per expert and currency. */
    async payoutsFromStatements(period: string, opts: InTransaction = {}): Promise<PayoutLine[]> {
      const rows = await sql.query<{ slack_user_id: string | null; name: string; tickets: unknown; amount_minor: unknown; currency: string }>(
        `SELECT e.slack_user_id, e.name, s.tickets, s.amount_minor, s.currency
           FROM statements s JOIN experts e ON e.id = s.expert_id
          WHERE s.period = ? ORDER BY e.name, e.id, s.currency`,
        [period],
        opts,
      );
      return rows.map((r) => ({ slackUserId: r.slack_user_id, name: r.name, tickets: Number(r.tickets), amountMinor: toMinor(r.amount_minor), currency: r.currency }));
    },

    /**
     * What the fees and corrections no statement has taken yet that occurred in
     * [start, end) add up to, per expert and currency: provisional payouts.
     */
    async unstatedPayouts(start: Date, end: Date, opts: InTransaction = {}): Promise<PayoutLine[]> {
      const rows = await sql.query<{ slack_user_id: string | null; name: string; tickets: unknown; amount_minor: unknown; currency: string }>(
        `SELECT e.slack_user_id, e.name, SUM(CASE WHEN f.kind = 'fee' THEN 1 ELSE 0 END) AS tickets, SUM(f.amount_minor) AS amount_minor, f.currency
           FROM expert_fees f JOIN experts e ON e.id = f.expert_id
          WHERE f.statement_id IS NULL AND f.occurred_at >= ? AND f.occurred_at < ?
          GROUP BY e.id, e.slack_user_id, e.name, f.currency
          ORDER BY e.name, e.id, f.currency`,
        [start, end],
        opts,
      );
      return rows.map((r) => ({ slackUserId: r.slack_user_id, name: r.name, tickets: Number(r.tickets), amountMinor: toMinor(r.amount_minor), currency: r.currency }));
    },

    /** The billing entries of tickets closed in [start, end), oldest first. */
    async billingLines(start: Date, end: Date, opts: InTransaction = {}): Promise<BillingLine[]> {
      const rows = await sql.query<{ ticket_id: unknown; occurred_at: unknown; category_key: string; customer_name: string | null; customer_email: string | null; amount_minor: unknown; currency: string }>(
        `SELECT b.ticket_id, b.occurred_at, c.\`key\` AS category_key, cu.name AS customer_name, cu.email AS customer_email, b.amount_minor, b.currency
           FROM billing_entries b
           JOIN categories c ON c.id = b.category_id
           JOIN customers cu ON cu.id = b.customer_id
          WHERE b.occurred_at >= ? AND b.occurred_at < ?
          ORDER BY b.occurred_at, b.id`,
        [start, end],
        opts,
      );
      return rows.map((r) => ({
        ticketId: Number(r.ticket_id),
        occurredAt: toDate(r.occurred_at),
        categoryKey: r.category_key,
        customerName: r.customer_name,
        customerEmail: r.customer_email,
        amountMinor: toMinor(r.amount_minor),
        currency: r.currency,
      }));
    },
  };
}

export type MoneyRepository = ReturnType<typeof moneyRepository>;
