/**
 * Statement periods (docs/money.md): calendar months and ISO weeks, in UTC. A period runs
 * from its start (included) to its end (excluded), which is the next period's start. Pure
 * arithmetic on dates: no clock, no database.
 */

export type PeriodKind = 'month' | 'week';

export interface Period {
  kind: PeriodKind;
  /** `2026-11` (month) or `2026-W48` (ISO week, with the ISO week-numbering year). */
  label: string;
  /** Included. */
  start: Date;
  /** Excluded: the next period's start. */
  end: Date;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const pad2 = (n: number) => String(n).padStart(2, '0');
/** Midnight UTC of a day; years below 100 too (Date.UTC would read 26 as 1926). */
function utc(year: number, monthIndex: number, day: number): Date {
  const d = new Date(0);
  d.setUTCFullYear(year, monthIndex, day);
  return d;
}

/** The month `month` (1–12) of `year`. */
export function monthPeriod(year: number, month: number): Period {
  const start = utc(year, month - 1, 1);
  const end = utc(year, month, 1);
  return { kind: 'month', label: `${String(year).padStart(4, '0')}-${pad2(month)}`, start, end };
}

/** The calendar month (UTC) that holds `at`. */
export const monthOf = (at: Date): Period => monthPeriod(at.getUTCFullYear(), at.getUTCMonth() + 1);

/** The ISO week (Monday 00:00 UTC to the next Monday) that holds `at`. */
export function isoWeekOf(at: Date): Period {
  const midnight = utc(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()).getTime();
  const sinceMonday = (new Date(midnight).getUTCDay() + 6) % 7;
  const start = new Date(midnight - sinceMonday * DAY_MS);
  // The week belongs to the year of its Thursday, and is numbered from that year's first Thursday's week.
  const thursday = new Date(start.getTime() + 3 * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = 1 + Math.floor((thursday.getTime() - utc(year, 0, 1).getTime()) / (7 * DAY_MS));
  return { kind: 'week', label: `${String(year).padStart(4, '0')}-W${pad2(week)}`, start, end: new Date(start.getTime() + 7 * DAY_MS) };
}

/** The period of `kind` that holds `at`. */
export const periodOf = (kind: PeriodKind, at: Date): Period => (kind === 'month' ? monthOf(at) : isoWeekOf(at));

/** The period right after `p` (of the same kind). */
export const nextPeriod = (p: Period): Period => periodOf(p.kind, p.end);

/**
 * Every period of `kind` from the one holding `from` to the last one that has ended by
 * `now` (its end at or before `now`), oldest first; none when the one holding `from` has
 * not ended yet.
 */
export function endedPeriodsSince(kind: PeriodKind, from: Date, now: Date): Period[] {
  const periods: Period[] = [];
  for (let p = periodOf(kind, from); p.end.getTime() <= now.getTime(); p = nextPeriod(p)) periods.push(p);
  return periods;
}

/**
 * A period label as people type it, strictly: `YYYY-MM` (a four-digit year, month 01–12)
 * or `YYYY-Www` (an ISO week that exists in that year: 01–52, or 53 in long years).
 * Anything else (2026-13, 26-11, 2026-1, 2026-11-01, blank) is undefined.
 */
export function parsePeriod(text: string): Period | undefined {
  const month = /^(\d{4})-(\d{2})$/.exec(text);
  if (month) {
    const m = Number(month[2]);
    return m >= 1 && m <= 12 ? monthPeriod(Number(month[1]), m) : undefined;
  }
  const week = /^(\d{4})-W(\d{2})$/.exec(text);
  if (week) {
    const year = Number(week[1]);
    const w = Number(week[2]);
    if (w < 1 || w > 53) return undefined;
    // Week 1 is the week holding 4 January.
    const firstMonday = isoWeekOf(utc(year, 0, 4)).start;
    const p = isoWeekOf(new Date(firstMonday.getTime() + (w - 1) * 7 * DAY_MS));
    return p.label === text ? p : undefined;
  }
  return undefined;
}
