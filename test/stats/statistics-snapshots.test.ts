import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { refreshStatisticsSnapshots, STATISTICS_EVERY_MS, statisticsForHome } from '../../src/domain/home/statistics-snapshots.ts';
import { statistics } from '../../src/domain/stats/statistics.ts';
import { openTestDatabase, TEST_ENGINE } from '../support/test-database.ts';
import { at, DAY, MIN, seedStatistics, TO } from './seed.ts';

describe(`the managers' Home statistics, kept between computations (${TEST_ENGINE})`, () => {
  let test: Awaited<ReturnType<typeof openTestDatabase>>;
  let db: Database;
  beforeAll(async () => {
    test = await openTestDatabase();
    db = test.db;
    await seedStatistics(db);
  });
  afterAll(async () => {
    await test?.close();
  });

  const clock = (now: Date) => ({ db, now: () => now });
  const thirtyDays = async (now: Date) => statistics({ db }, { from: new Date(now.getTime() - 30 * DAY), to: now });

  it('are computed and kept the first time, then read as kept until they are stale', async () => {
    const now = at(TO, -1);
    const first = await statisticsForHome(clock(now));
    expect(first.map((s) => s.days)).toEqual([7, 30]);
    expect(first[1]).toMatchObject({ asOf: now, ...(await thirtyDays(now)).tickets });
    expect((await db.stats.snapshots()).map((s) => s.days).sort((a, b) => a - b)).toEqual([7, 30]);

    // A ticket filed since: not seen until the kept figures are computed again.
    await db.sql.execute('UPDATE tickets SET created_at = ? WHERE id = (SELECT MIN(id) FROM (SELECT id FROM tickets) t)', [at(now, -MIN)]);
    const later = at(now, STATISTICS_EVERY_MS);
    const read = await statisticsForHome(clock(later));
    expect(read[1]).toEqual(first[1]);
    expect(read[1]!.asOf).toEqual(now);

    // The job computes them again and says they changed; the Home then shows the new figures.
    expect(await refreshStatisticsSnapshots(clock(later))).toBe(true);
    const fresh = await statisticsForHome(clock(later));
    expect(fresh[1]).toMatchObject({ asOf: later, ...(await thirtyDays(later)).tickets });
    expect(fresh[1]!.filed).not.toBe(first[1]!.filed);
    // Nothing changed since: the job says so, and the managers' Homes are left alone.
    expect(await refreshStatisticsSnapshots(clock(later))).toBe(false);
  });

  it('are computed again by the Home itself when the job has not run for a while', async () => {
    const now = at(TO, 10 * DAY);
    await refreshStatisticsSnapshots(clock(now));
    const stale = at(now, 3 * STATISTICS_EVERY_MS);
    const [seven] = await statisticsForHome(clock(stale));
    expect(seven!.asOf).toEqual(stale);
  });

  it('ignore a kept row that does not read as statistics, computing them again', async () => {
    const now = at(TO, 20 * DAY);
    await db.stats.saveSnapshot(7, 'not json', now);
    await db.stats.saveSnapshot(30, '{"days":30}', now);
    const [seven, thirty] = await statisticsForHome(clock(now));
    expect(seven).toMatchObject({ days: 7, asOf: now, filed: expect.any(Number) });
    expect(thirty).toMatchObject({ days: 30, asOf: now, ...(await thirtyDays(now)).tickets });
  });
});
