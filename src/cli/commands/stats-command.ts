import { parseArgs } from 'node:util';
import { loadConfig } from '../../config/load-config.ts';
import { openDatabase } from '../../db/database.ts';
import { statistics, type DurationStats, type SatisfactionRow, type Statistics } from '../../domain/stats/statistics.ts';
import { loadDotEnv } from '../../lib/dotenv.ts';

const DAY_MS = 86_400_000;
export const STATS_USAGE = 'usage: npm run helpnet -- stats [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--json]';

/** A YYYY-MM-DD date as midnight UTC, or undefined when it is not a real calendar date. */
export function parseDay(text: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? date : undefined;
}

/**
 * `stats [--from D] [--to D] [--json]`: the statistics of the days from `from` up to, not
 * including, `to` (UTC). Without `--to`, up to the end of today; without `--from`, the 30
 * days before `to`. A table on standard output, or with `--json` the figures as JSON
 * (durations in milliseconds, rates 0–1). Definitions: docs/statistics.md.
 */
export async function statsCommand(args: string[], now = new Date()): Promise<number> {
  let values: { from?: string; to?: string; json?: boolean };
  try {
    ({ values } = parseArgs({ args, options: { from: { type: 'string' }, to: { type: 'string' }, json: { type: 'boolean' } }, strict: true, allowPositionals: false }));
  } catch (err) {
    console.error(`helpnet: ${(err as Error).message}\n${STATS_USAGE}`);
    return 2;
  }
  const day = (name: 'from' | 'to'): Date | undefined | null => {
    const text = values[name];
    if (text === undefined) return undefined;
    const date = parseDay(text);
    if (!date) console.error(`helpnet: --${name} ${JSON.stringify(text)} is not a date: expected YYYY-MM-DD (UTC), e.g. 2026-11-01\n${STATS_USAGE}`);
    return date ?? null;
  };
  const givenFrom = day('from');
  const givenTo = day('to');
  if (givenFrom === null || givenTo === null) return 2;
  const to = givenTo ?? new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) + DAY_MS);
  const from = givenFrom ?? new Date(to.getTime() - 30 * DAY_MS);
  if (from.getTime() >= to.getTime()) {
    console.error(`helpnet: --from (${dayOf(from)}) must be before --to (${dayOf(to)}); --to is exclusive\n${STATS_USAGE}`);
    return 2;
  }

  loadDotEnv();
  const config = loadConfig(process.env);
  const db = await openDatabase(config.databaseUrl, { migrate: false });
  try {
    const stats = await statistics({ db }, { from, to });
    console.log(values.json ? JSON.stringify(stats, null, 2) : renderStats(stats));
    return 0;
  } finally {
    await db.close();
  }
}

const dayOf = (d: Date) => d.toISOString().slice(0, 10);

/** The statistics as plain-text tables. */
export function renderStats(s: Statistics): string {
  const lastDay = new Date(s.range.to.getTime() - 1);
  const out = [`Helpnet statistics, ${dayOf(s.range.from)} to ${dayOf(lastDay)} inclusive (UTC; [${s.range.from.toISOString()}, ${s.range.to.toISOString()}))`, ''];
  out.push('Tickets');
  out.push(
    ...table(
      ['', 'count'],
      [
        ['filed', String(s.tickets.filed)],
        ['booked', String(s.tickets.booked)],
        ['resolved', String(s.tickets.resolved)],
        ['escalated (past tier 1)', String(s.tickets.escalated)],
        ['exhausted (last tier timed out)', String(s.tickets.exhausted)],
      ],
    ),
  );
  out.push('', 'Times from filing (nearest-rank percentiles)');
  const timeRow = (label: string, d: DurationStats) => [label, String(d.count), duration(d.medianMs), duration(d.p90Ms)];
  out.push(...table(['', 'tickets', 'median', 'p90'], [timeRow('to book', s.timeToBook), timeRow('to resolve', s.timeToResolve)]));
  out.push(...satisfactionTable('Satisfaction per expert', 'expert', s.satisfaction.byExpert));
  out.push(...satisfactionTable('Satisfaction per category', 'category', s.satisfaction.byCategory));
  return out.join('\n');
}

function satisfactionTable(title: string, what: string, rows: SatisfactionRow[]): string[] {
  const head = ['', `${title} (surveys answered or defaulted in the range; "all" counts defaults, "ans." only the customers' answers)`];
  if (rows.length === 0) return [...head, '  no surveys'];
  return [
    ...head,
    ...table(
      [what, 'surveys', 'answered', 'defaulted', 'solved all', 'solved ans.', 'helpful all', 'helpful ans.', 'timely all', 'timely ans.'],
      rows.map((r) => [
        r.ref && r.ref !== r.name ? `${r.name} (${r.ref})` : r.name,
        String(r.surveys),
        String(r.answered),
        String(r.defaulted),
        percent(r.solvedRate),
        percent(r.solvedRateAnswered),
        mean(r.meanHelpfulness),
        mean(r.meanHelpfulnessAnswered),
        mean(r.meanTimeliness),
        mean(r.meanTimelinessAnswered),
      ]),
    ),
  ];
}

/** Columns padded to their widest cell: the first left-aligned, the others right-aligned. */
function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `  ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')}`.trimEnd();
  return [line(header), ...rows.map(line)];
}

const NONE = '-';
const percent = (rate: number | null) => (rate === null ? NONE : `${(rate * 100).toFixed(1)}%`);
const mean = (value: number | null) => (value === null ? NONE : value.toFixed(2));

/** A duration as its two largest units: 45s, 12m 05s, 3h 20m, 2d 04h. */
export function duration(ms: number | null): string {
  if (ms === null) return NONE;
  const s = Math.round(ms / 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${two(s % 60)}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ${two(Math.floor((s % 3600) / 60))}m`;
  return `${Math.floor(s / 86_400)}d ${two(Math.floor((s % 86_400) / 3600))}h`;
}
