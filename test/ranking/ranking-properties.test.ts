import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL } from '../../src/db/models/ranking-sum.ts';
import { currentScores, priorOf } from '../../src/domain/ranking/scores.ts';
import { scoreAt } from '../../src/domain/ranking/rules.ts';
import { RankingSum } from '../../src/db/models/index.ts';
import { createQualifiedExpert } from '../support/experts.ts';
import { createExpert } from '../support/factories.ts';
import { startTestApp, type TestApp } from '../support/start-test-app.ts';
import { TEST_ENGINE } from '../support/test-database.ts';
import { testRouting } from '../support/test-routing.ts';
import { alsoQualify, categoryId, countSurvey, DAY, pagingOrder, sumsOf } from './support.ts';

/**
 * The ranking's promises (SPEC flow 7), through the code that closes a ticket: surveys are
 * counted with recordSurvey and reviewed in a unit of work on the real database, at times
 * the test chooses; scores are read as paging reads them.
 */
describe(`Ranking on ${TEST_ENGINE}`, () => {
  let app: TestApp;
  let exchange: number;
  let windows: number;
  const T0 = new Date('2030-06-01T12:00:00Z').getTime();
  const at = (days: number) => new Date(T0 + days * DAY);
  // Nobody is suspended by these tests' low scores: they are about the order.
  const routing = (r: Record<string, unknown>) => ({ ...r, ranking: { halfLifeDays: 90, priorWeight: 5, suspendBelow: 0, minSurveys: 5 } });

  beforeAll(async () => {
    app = await startTestApp({ routing: routing(testRouting()) });
    exchange = await categoryId('ms-exchange');
    windows = await categoryId('windows-nt');
    // A network of ordinary experts (the prior's mean is the network's): ten of them, rated 3 over the last year.
    const crowd = await Promise.all(Array.from({ length: 10 }, () => createExpert()));
    for (let d = -360; d <= 0; d += 36) for (const e of crowd) await countSurvey(app.server.services, { expertId: e.id, categoryId: exchange, rating: 3, at: at(d) });
  });
  afterAll(async () => {
    await app.close();
  });

  const scores = (ids: number[], now: Date, category?: number) => currentScores(app.server.services, ids, { now, ...(category ? { categoryId: category } : {}) });

  it('does not put a newcomer with one excellent survey above a steady good expert with many', async () => {
    const steady = await createExpert();
    const newcomer = await createExpert();
    for (let d = -300; d <= -1; d += 10) await countSurvey(app.server.services, { expertId: steady.id, categoryId: exchange, rating: 4.5, at: at(d) });
    const first = await countSurvey(app.server.services, { expertId: newcomer.id, categoryId: exchange, rating: 5, at: at(0) });
    const s = await scores([steady.id, newcomer.id], at(0));
    expect(s.get(steady.id)!).toBeGreaterThan(4);
    expect(s.get(newcomer.id)!).toBeLessThan(s.get(steady.id)!);
    // Above the middle, not at the top: the prior holds a single survey back.
    expect(s.get(newcomer.id)!).toBeGreaterThan(3);
    expect(s.get(newcomer.id)!).toBeLessThan(4);
    expect(first.standing.overall).toBeCloseTo(s.get(newcomer.id)!, 12);
  });

  it('lets an expert with old bad and recent good surveys overtake a steady mediocre one', async () => {
    const improver = await createExpert();
    const mediocre = await createExpert();
    for (let d = -720; d <= 0; d += 24) await countSurvey(app.server.services, { expertId: mediocre.id, categoryId: exchange, rating: 3, at: at(d) });
    let bad = 0;
    for (let d = -720; d <= -420; d += 15) bad = (await countSurvey(app.server.services, { expertId: improver.id, categoryId: exchange, rating: 1.5, at: at(d) })).standing.overall;
    // After their bad year they were well below the mediocre one's 3.
    expect(bad).toBeLessThan(2.2);
    for (let d = -60; d <= 0; d += 6) await countSurvey(app.server.services, { expertId: improver.id, categoryId: exchange, rating: 4.5, at: at(d) });
    const after = await scores([improver.id, mediocre.id], at(0));
    expect(after.get(improver.id)!).toBeGreaterThan(after.get(mediocre.id)!);
    // Counted undecayed, the bad surveys (21 at 1.5) would still outweigh the good ones (11 at 4.5).
    expect((21 * 1.5 + 11 * 4.5) / 32).toBeLessThan(3);
  });

  it('keeps in ranking_sums exactly what a full recomputation from the surveys gives (within 1e-9), whatever their order and times', async () => {
    const halfLife = app.server.services.routing.ranking.halfLifeDays;
    const survey = fc.record({
      rating: fc.double({ min: 1, max: 5, noNaN: true }),
      weight: fc.oneof(fc.constant(1), fc.constant(0.5), fc.double({ min: 0.01, max: 1, noNaN: true })),
      // Within two years, in any order (a survey may be counted after later ones).
      atMs: fc.integer({ min: 0, max: 730 * DAY }),
      windows: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(survey, { minLength: 1, maxLength: 12 }), async (surveys) => {
        const expert = await createExpert();
        for (const s of surveys) await countSurvey(app.server.services, { expertId: expert.id, categoryId: s.windows ? windows : exchange, rating: s.rating, weight: s.weight, at: new Date(T0 + s.atMs) });
        const check = async (category: number, counted: typeof surveys) => {
          if (counted.length === 0) return expect(await RankingSum.count({ where: { expertId: expert.id, categoryId: category } })).toBe(0);
          const row = await sumsOf(expert.id, category);
          const latest = Math.max(...counted.map((s) => s.atMs));
          expect(row.decayedAt.getTime()).toBe(T0 + latest);
          let weightedRatings = 0;
          let weights = 0;
          for (const s of counted) {
            const w = s.weight * 2 ** (-(latest - s.atMs) / (halfLife * DAY));
            weightedRatings += w * s.rating;
            weights += w;
          }
          expect(Math.abs(row.weightedRatings - weightedRatings)).toBeLessThanOrEqual(1e-9);
          expect(Math.abs(row.weights - weights)).toBeLessThanOrEqual(1e-9);
          expect(row.surveys).toBe(counted.length);
          // And so the score, at any later time.
          const prior = { mean: 3.2, weight: 5 };
          const later = T0 + latest + 45 * DAY;
          const full = (prior.weight * prior.mean + weightedRatings * 2 ** (-45 / halfLife)) / (prior.weight + weights * 2 ** (-45 / halfLife));
          expect(Math.abs(scoreAt({ weightedRatings: row.weightedRatings, weights: row.weights, at: row.decayedAt.getTime() }, later, prior, halfLife) - full)).toBeLessThanOrEqual(1e-9);
        };
        await check(ALL, surveys);
        await check(exchange, surveys.filter((s) => !s.windows));
        await check(windows, surveys.filter((s) => s.windows));
      }),
      { numRuns: TEST_ENGINE === 'mysql' ? 25 : 40 },
    );
  });

  it('pages by the category score where the expert has one: better in Exchange is first for Exchange, not for Windows', async () => {
    const exchangeStar = await createQualifiedExpert('exchange-l1', 'ms-exchange');
    const windowsStar = await createQualifiedExpert('exchange-l1', 'ms-exchange');
    for (const e of [exchangeStar, windowsStar]) await alsoQualify(e.id, 'windows-l1', 'windows-nt');
    for (let d = -100; d <= 0; d += 10) {
      await countSurvey(app.server.services, { expertId: exchangeStar.id, categoryId: exchange, rating: 5, at: at(d) });
      await countSurvey(app.server.services, { expertId: exchangeStar.id, categoryId: windows, rating: 2, at: at(d) });
      await countSurvey(app.server.services, { expertId: windowsStar.id, categoryId: exchange, rating: 3.5, at: at(d) });
      await countSurvey(app.server.services, { expertId: windowsStar.id, categoryId: windows, rating: 4.5, at: at(d) });
    }
    // Overall, the Windows star is ahead (4.0 against 3.5): only the category score puts the Exchange star first.
    const overall = await scores([exchangeStar.id, windowsStar.id], at(0));
    expect(overall.get(windowsStar.id)!).toBeGreaterThan(overall.get(exchangeStar.id)!);
    const pair = (order: number[]) => order.filter((id) => id === exchangeStar.id || id === windowsStar.id);
    // Working hours are not set, so any time pages them.
    expect(pair(await pagingOrder(app.server.services, 'exchange-l1', 'ms-exchange', at(0)))).toEqual([exchangeStar.id, windowsStar.id]);
    expect(pair(await pagingOrder(app.server.services, 'windows-l1', 'windows-nt', at(0)))).toEqual([windowsStar.id, exchangeStar.id]);
    // The prior is the network's own mean, shared by every score.
    const network = await sumsOf(ALL, ALL);
    expect(priorOf(app.server.services.routing, network, at(0)).weight).toBe(5);
  });
});
