import { describe, expect, it } from 'vitest';
import { endedPeriodsSince, isoWeekOf, monthOf, monthPeriod, nextPeriod, parsePeriod, periodOf } from '../../src/domain/money/periods.ts';

const d = (iso: string) => new Date(iso);

describe('statement periods', () => {
  it('a month runs from its first day 00:00 UTC to the next month’s', () => {
    expect(monthPeriod(2026, 11)).toEqual({ kind: 'month', label: '2026-11', start: d('2026-11-01T00:00:00Z'), end: d('2026-12-01T00:00:00Z') });
    expect(monthPeriod(2026, 12)).toMatchObject({ label: '2026-12', end: d('2027-01-01T00:00:00Z') });
    expect(monthOf(d('2026-11-30T23:59:59.999Z')).label).toBe('2026-11');
    expect(monthOf(d('2026-12-01T00:00:00.000Z')).label).toBe('2026-12');
    expect(monthOf(d('2028-02-29T12:00:00Z'))).toMatchObject({ label: '2028-02', end: d('2028-03-01T00:00:00Z') });
    expect(nextPeriod(monthPeriod(2026, 12)).label).toBe('2027-01');
  });

  it('an ISO week runs Monday to Monday and is numbered in the year of its Thursday', () => {
    expect(isoWeekOf(d('2026-11-25T10:00:00Z'))).toEqual({ kind: 'week', label: '2026-W48', start: d('2026-11-23T00:00:00Z'), end: d('2026-11-30T00:00:00Z') });
    // Sunday late is still the week that began on Monday.
    expect(isoWeekOf(d('2026-11-29T23:59:59.999Z')).label).toBe('2026-W48');
    expect(isoWeekOf(d('2026-11-30T00:00:00Z')).label).toBe('2026-W49');
    // 1 January 2027 is a Friday: it belongs to the last week of 2026 (which has 53).
    expect(isoWeekOf(d('2027-01-01T00:00:00Z'))).toMatchObject({ label: '2026-W53', start: d('2026-12-28T00:00:00Z') });
    expect(isoWeekOf(d('2027-01-04T00:00:00Z')).label).toBe('2027-W01');
    // 29 December 2025 is a Monday whose Thursday is 1 January 2026: week 1 of 2026.
    expect(isoWeekOf(d('2025-12-31T00:00:00Z'))).toMatchObject({ label: '2026-W01', start: d('2025-12-29T00:00:00Z') });
    expect(periodOf('week', d('2026-11-25T00:00:00Z')).label).toBe('2026-W48');
  });

  it('parses YYYY-MM and YYYY-Www strictly', () => {
    expect(parsePeriod('2026-11')).toEqual(monthPeriod(2026, 11));
    expect(parsePeriod('2026-01')?.start).toEqual(d('2026-01-01T00:00:00Z'));
    expect(parsePeriod('2026-W48')).toEqual(isoWeekOf(d('2026-11-23T00:00:00Z')));
    expect(parsePeriod('2026-W53')?.start).toEqual(d('2026-12-28T00:00:00Z'));
    expect(parsePeriod('0026-11')?.start.getUTCFullYear()).toBe(26);
    for (const bad of ['2026-13', '2026-00', '26-11', '2026-1', '2026-011', '2026-11-01', '', ' 2026-11', '2026/11', '2026-W00', '2026-W54', '2025-W53', 'november']) {
      expect(parsePeriod(bad), bad).toBeUndefined();
    }
  });

  it('lists the ended periods from the one holding a date, oldest first', () => {
    expect(endedPeriodsSince('month', d('2026-09-15T00:00:00Z'), d('2026-12-01T00:00:00Z')).map((p) => p.label)).toEqual(['2026-09', '2026-10', '2026-11']);
    expect(endedPeriodsSince('month', d('2026-11-15T00:00:00Z'), d('2026-11-30T23:59:59Z'))).toEqual([]);
    expect(endedPeriodsSince('week', d('2026-11-25T00:00:00Z'), d('2026-12-08T00:00:00Z')).map((p) => p.label)).toEqual(['2026-W48', '2026-W49']);
  });
});
