import type { DomainContext } from '../domain-context.ts';
import type { NewStatement } from '../../db/repositories/money.ts';
import { endedPeriodsSince, periodOf, type Period } from './periods.ts';

/** A period's statements as written: the period's label and how many. */
export interface WrittenPeriod {
  period: string;
  statements: number;
}

/** Another writer took some of the fees first: this period's statements are rolled back (written by that one). */
export class StatementsRaced extends Error {
  override readonly name = 'StatementsRaced';
}

/**
 * Writes the experts' statements of every period that has ended and has none yet, oldest
 * first (a server that was down at the end of one or more periods catches up when it is
 * back). Periods are calendar months (UTC) or ISO weeks (`statements.every` in the routing
 * file). Each period's statements take every fee and correction that no statement has
 * taken and that occurred before the period's end, so an entry that arrives after its
 * period's statements were written (or a correction) goes on the next one. One statement
 * per expert and currency with any such entries; an expert with none gets no statement.
 * Written once: nothing here, or anywhere, changes a statement afterwards.
 *
 * Idempotent: periods up to the last one written are skipped, and a period is written in
 * one transaction (its statements and their fees' statement_id together).
 */
export async function writeStatements(ctx: Pick<DomainContext, 'db' | 'routing' | 'now'>): Promise<WrittenPeriod[]> {
  const now = ctx.now();
  const oldest = await ctx.db.money.oldestUnstatedAt();
  if (!oldest) return [];
  // Periods up to the latest written are done: a late entry of one of them waits for the next.
  const writtenUntil = await ctx.db.money.statementsWrittenUntil();
  const from = writtenUntil && writtenUntil > oldest ? writtenUntil : oldest;
  const written: WrittenPeriod[] = [];
  for (const period of endedPeriodsSince(ctx.routing.statements.every, from, now)) {
    // A period already (partly) covered by statements of another kind (the setting changed) starts after them.
    if (writtenUntil && period.end <= writtenUntil) continue;
    const count = await writePeriod(ctx, period, now);
    if (count > 0) written.push({ period: period.label, statements: count });
  }
  return written;
}

async function writePeriod(ctx: Pick<DomainContext, 'db'>, period: Period, now: Date): Promise<number> {
  return ctx.db.unitOfWork(async (transaction) => {
    if (await ctx.db.money.hasStatementsFor(period.label, { transaction })) return 0;
    const fees = await ctx.db.money.unstatedFeesBefore(period.end, { transaction });
    const groups = new Map<string, { statement: NewStatement; feeIds: number[] }>();
    for (const fee of fees) {
      const key = `${fee.expertId}:${fee.currency}`;
      let group = groups.get(key);
      if (!group) {
        group = { statement: { expertId: fee.expertId, period: period.label, periodStart: period.start, periodEnd: period.end, currency: fee.currency, tickets: 0, amountMinor: 0 }, feeIds: [] };
        groups.set(key, group);
      }
      group.statement.amountMinor += fee.amountMinor;
      if (fee.kind === 'fee') group.statement.tickets += 1;
      group.feeIds.push(fee.id);
    }
    const list = [...groups.values()];
    if (list.length === 0) return 0;
    for (const g of list) if (!Number.isSafeInteger(g.statement.amountMinor)) throw new Error(`statement total of expert ${g.statement.expertId} for ${period.label} is out of range`);
    const ids = await ctx.db.money.addStatements(
      list.map((g) => g.statement),
      { transaction, now },
    );
    for (const [i, g] of list.entries()) {
      const taken = await ctx.db.money.assignFees(ids[i]!, g.feeIds, { transaction });
      if (taken !== g.feeIds.length) throw new StatementsRaced(`another writer took fees of ${period.label} first`);
    }
    return list.length;
  });
}

/** The period of the configured kind that holds `at` (for messages and exports). */
export const statementPeriodOf = (ctx: Pick<DomainContext, 'routing'>, at: Date): Period => periodOf(ctx.routing.statements.every, at);
