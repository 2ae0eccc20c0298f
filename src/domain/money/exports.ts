import type { DomainContext } from '../domain-context.ts';
import { ticketPublicId } from '../tickets/ticket-public-id.ts';
import { csvNumber, toCsv } from './csv.ts';
import type { Period } from './periods.ts';
import { formatMajor } from './rules.ts';

export const PAYOUT_COLUMNS = ['slack_user_id', 'name', 'tickets', 'amount', 'currency'] as const;
export const BILLING_COLUMNS = ['ticket', 'closed_at', 'category', 'customer_name', 'customer_email', 'amount', 'currency'] as const;

/** A period the export cannot be asked for (said to the person as is). */
export class ExportRefused extends Error {
  override readonly name = 'ExportRefused';
}

export interface Export {
  csv: string;
  rows: number;
  /** Payouts computed from entries no statement has taken yet: they may still change. */
  provisional: boolean;
}

/**
 * The experts' payouts of a period, one row per expert (and currency): the period's
 * statements once they are written (the period has ended and the statements job has been
 * past it), otherwise what the fees and corrections that occurred in the period and that
 * no statement has taken add up to so far (provisional). The period must be of the kind
 * statements are written for (`statements.every`).
 */
export async function payoutsExport(ctx: Pick<DomainContext, 'db' | 'routing'>, period: Period): Promise<Export> {
  const every = ctx.routing.statements.every;
  if (period.kind !== every) {
    throw new ExportRefused(`statements are written each ${every} (statements.every in the routing file): ask for a ${every === 'month' ? 'month such as 2026-11' : 'week such as 2026-W48'}, not ${period.label}`);
  }
  const writtenUntil = await ctx.db.money.statementsWrittenUntil();
  const written = writtenUntil !== undefined && writtenUntil >= period.end;
  const lines = written ? await ctx.db.money.payoutsFromStatements(period.label) : await ctx.db.money.unstatedPayouts(period.start, period.end);
  const csv = toCsv(
    PAYOUT_COLUMNS,
    lines.map((l) => [l.slackUserId, l.name, csvNumber(l.tickets), csvNumber(formatMajor(l.amountMinor)), l.currency]),
  );
  return { csv, rows: lines.length, provisional: !written };
}

/** The customers' billing of a period: one row per ticket closed in it, oldest first. */
export async function billingExport(ctx: Pick<DomainContext, 'db'>, period: Period): Promise<Export> {
  const lines = await ctx.db.money.billingLines(period.start, period.end);
  const csv = toCsv(
    BILLING_COLUMNS,
    lines.map((l) => [ticketPublicId(l.ticketId), l.occurredAt.toISOString(), l.categoryKey, l.customerName, l.customerEmail, csvNumber(formatMajor(l.amountMinor)), l.currency]),
  );
  return { csv, rows: lines.length, provisional: false };
}
