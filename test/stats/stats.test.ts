import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { statistics } from '../../src/domain/stats/statistics.ts';
import { openTestDatabase, TEST_ENGINE } from '../support/test-database.ts';
import { at, DAY, FROM, HOUR, MIN, seedStatistics, TO } from './seed.ts';

describe(`statistics over a time range (${TEST_ENGINE})`, () => {
  let test: Awaited<ReturnType<typeof openTestDatabase>>;
  let db: Database;
  let seeded: Awaited<ReturnType<typeof seedStatistics>>;
  beforeAll(async () => {
    test = await openTestDatabase();
    db = test.db;
    seeded = await seedStatistics(db);
  });
  afterAll(async () => {
    await test?.close();
  });

  it('counts tickets filed, booked, resolved, escalated and exhausted: from inclusive, to exclusive', async () => {
    const s = await statistics({ db }, { from: FROM, to: TO });
    expect(s.range).toEqual({ from: FROM, to: TO });
    // Filed: t2 (at FROM), t3, t4, t5 (1 ms before TO), t7; not t1 (1 ms before FROM) nor t6 (at TO) nor the surveys' tickets (January).
    // Booked: t1 (at FROM), t2, t3, t4, t7; not t6 (after TO).
    // Resolved: t1, t2, t7; not t3 (at TO).
    // Escalated: t2 (tiers 2 and 3: once), t4 (1 ms before TO); not t3 (before), t5 (at TO), t7's page.
    // Exhausted: t5 (twice: once), t3 (at FROM); not t4 (at TO).
    expect(s.tickets).toEqual({ filed: 5, booked: 5, resolved: 3, escalated: 2, exhausted: 2 });
  });

  it('takes the nearest-rank median and p90 of the times from filing', async () => {
    const s = await statistics({ db }, { from: FROM, to: TO });
    // To book, sorted: t1 1 ms, t4 5 min, t2 10 min, t3 30 min, t7 60 min: ranks ⌈2.5⌉ = 3 and ⌈4.5⌉ = 5.
    expect(s.timeToBook).toEqual({ count: 5, medianMs: 10 * MIN, p90Ms: 60 * MIN });
    // To resolve, sorted: t1 1 h + 1 ms, t2 2 h, t7 3 h: ranks ⌈1.5⌉ = 2 and ⌈2.7⌉ = 3.
    expect(s.timeToResolve).toEqual({ count: 3, medianMs: 2 * HOUR, p90Ms: 3 * HOUR });
  });

  it('measures each ticket from its filing even when it was filed before the range', async () => {
    const s = await statistics({ db }, { from: FROM, to: at(FROM, MIN) });
    // Only t1 was booked in the first minute: 1 ms after it was filed (just before the range).
    expect(s.tickets).toMatchObject({ filed: 1, booked: 1, resolved: 0 });
    expect(s.timeToBook).toEqual({ count: 1, medianMs: 1, p90Ms: 1 });
    expect(s.timeToResolve).toEqual({ count: 0, medianMs: null, p90Ms: null });
  });

  it('rates each expert from the surveys answered or defaulted in the range', async () => {
    const s = await statistics({ db }, { from: FROM, to: TO });
    const { alice, bob } = seeded;
    expect(s.satisfaction.byExpert).toHaveLength(2);
    // Alice: answered (solved, t5, h4) at FROM, answered (not solved, t2, h3), defaulted (solved, t4, h4) 1 ms before TO.
    const [first, second] = s.satisfaction.byExpert;
    expect(first).toMatchObject({ id: alice.id, name: 'Alice', ref: 'U0ALICE001', surveys: 3, answered: 2, defaulted: 1, solvedRateAnswered: 0.5, meanHelpfulnessAnswered: 3.5, meanTimelinessAnswered: 3.5 });
    expect(first!.solvedRate).toBeCloseTo(2 / 3, 12);
    expect(first!.meanHelpfulness).toBeCloseTo(11 / 3, 12);
    expect(first!.meanTimeliness).toBeCloseTo(11 / 3, 12);
    // Bob: one answered (solved, t3, h5); his survey at TO, the pending one and none of earlier answers count.
    expect(second).toEqual({
      id: bob.id,
      name: 'Bob',
      ref: 'U0BOB00001',
      surveys: 1,
      answered: 1,
      defaulted: 0,
      solvedRate: 1,
      solvedRateAnswered: 1,
      meanHelpfulness: 5,
      meanTimeliness: 3,
      meanHelpfulnessAnswered: 5,
      meanTimelinessAnswered: 3,
    });
  });

  it('rates each category from the same surveys, with nulls where only defaults were counted', async () => {
    const s = await statistics({ db }, { from: FROM, to: TO });
    const { exchange, windows } = seeded;
    const [first, second] = s.satisfaction.byCategory;
    // Exchange: Alice's two answers and Bob's one: solved 2 of 3, helpfulness 4, 3, 5, timeliness 5, 2, 3.
    expect(first).toMatchObject({ id: exchange.id, name: 'Exchange', ref: 'exchange', surveys: 3, answered: 3, defaulted: 0, meanHelpfulness: 4, meanHelpfulnessAnswered: 4 });
    expect(first!.solvedRate).toBeCloseTo(2 / 3, 12);
    expect(first!.solvedRateAnswered).toBeCloseTo(2 / 3, 12);
    expect(first!.meanTimeliness).toBeCloseTo(10 / 3, 12);
    expect(first!.meanTimelinessAnswered).toBeCloseTo(10 / 3, 12);
    // Windows: only Alice's defaulted survey.
    expect(second).toEqual({
      id: windows.id,
      name: 'Windows',
      ref: 'windows',
      surveys: 1,
      answered: 0,
      defaulted: 1,
      solvedRate: 1,
      solvedRateAnswered: null,
      meanHelpfulness: 4,
      meanTimeliness: 4,
      meanHelpfulnessAnswered: null,
      meanTimelinessAnswered: null,
    });
  });

  it('moves with the range: the day after it holds only what happened at TO', async () => {
    const s = await statistics({ db }, { from: TO, to: at(TO, DAY) });
    expect(s.tickets).toEqual({ filed: 1, booked: 1, resolved: 1, escalated: 1, exhausted: 1 });
    // t6 booked 1 min after filing; t3 resolved at TO, filed on FROM + 1 day.
    expect(s.timeToBook).toEqual({ count: 1, medianMs: MIN, p90Ms: MIN });
    expect(s.timeToResolve).toEqual({ count: 1, medianMs: TO.getTime() - at(FROM, DAY).getTime(), p90Ms: TO.getTime() - at(FROM, DAY).getTime() });
    expect(s.satisfaction.byExpert.map((r) => [r.name, r.surveys])).toEqual([['Bob', 1]]);
    expect(s.satisfaction.byCategory.map((r) => [r.name, r.surveys])).toEqual([['Windows', 1]]);
  });

  it('gives zeros, nulls and no rows for a range where nothing happened', async () => {
    const s = await statistics({ db }, { from: new Date('2025-01-01T00:00:00.000Z'), to: new Date('2025-02-01T00:00:00.000Z') });
    expect(s.tickets).toEqual({ filed: 0, booked: 0, resolved: 0, escalated: 0, exhausted: 0 });
    expect(s.timeToBook).toEqual({ count: 0, medianMs: null, p90Ms: null });
    expect(s.timeToResolve).toEqual({ count: 0, medianMs: null, p90Ms: null });
    expect(s.satisfaction).toEqual({ byExpert: [], byCategory: [] });
  });

  it('refuses a range that ends before it starts, or where it starts', async () => {
    await expect(statistics({ db }, { from: TO, to: FROM })).rejects.toThrow(RangeError);
    await expect(statistics({ db }, { from: FROM, to: FROM })).rejects.toThrow(RangeError);
  });
});
