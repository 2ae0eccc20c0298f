import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addSurvey, decayFactor, EMPTY_SUM, scoreAt, surveyRating } from '../../src/domain/ranking/rules.ts';

const DAY = 24 * 60 * 60 * 1000;
const HALF_LIFE = 90;
const PRIOR = { mean: 3, weight: 5 };

/** The score recomputed from every survey, as a check of the incremental one. */
function recomputed(surveys: { rating: number; weight: number; answeredAt: number }[], at: number): number {
  let sum = 0;
  let weights = 0;
  for (const s of surveys) {
    const w = s.weight * decayFactor(at - s.answeredAt, HALF_LIFE);
    sum += w * s.rating;
    weights += w;
  }
  return (PRIOR.weight * PRIOR.mean + sum) / (PRIOR.weight + weights);
}

const survey = fc.record({ rating: fc.double({ min: 1, max: 5, noNaN: true }), weight: fc.constantFrom(1, 0.5), answeredAt: fc.integer({ min: 0, max: 3 * 365 }).map((d) => d * DAY + 1_700_000_000_000) });

describe('the ranking arithmetic', () => {
  it('adds surveys one at a time, in any order, to the score a full recomputation gives (within 1e-9)', () => {
    fc.assert(
      fc.property(fc.array(survey, { maxLength: 200 }), fc.integer({ min: 0, max: 400 }), (surveys, laterDays) => {
        const sum = surveys.reduce((s, one) => addSurvey(s, one, HALF_LIFE), EMPTY_SUM);
        const at = Math.max(1_700_000_000_000, ...surveys.map((s) => s.answeredAt)) + laterDays * DAY;
        expect(Math.abs(scoreAt(sum, at, PRIOR, HALF_LIFE) - recomputed(surveys, at))).toBeLessThan(1e-9);
      }),
    );
  });

  it('keeps a newcomer with one excellent survey below a steady good expert with many', () => {
    const t0 = 1_700_000_000_000;
    const newcomer = addSurvey(EMPTY_SUM, { rating: 5, weight: 1, answeredAt: t0 }, HALF_LIFE);
    let steady = EMPTY_SUM;
    for (let i = 0; i < 40; i++) steady = addSurvey(steady, { rating: 4.5, weight: 1, answeredAt: t0 - i * 3 * DAY }, HALF_LIFE);
    expect(scoreAt(newcomer, t0, PRIOR, HALF_LIFE)).toBeLessThan(scoreAt(steady, t0, PRIOR, HALF_LIFE));
    expect(scoreAt(newcomer, t0, PRIOR, HALF_LIFE)).toBeLessThan(3.5);
  });

  it('lets an expert with old bad and recent good surveys overtake a steady mediocre one', () => {
    const t0 = 1_700_000_000_000;
    let improver = EMPTY_SUM;
    let mediocre = EMPTY_SUM;
    for (let i = 0; i < 20; i++) improver = addSurvey(improver, { rating: 1.5, weight: 1, answeredAt: t0 + i * DAY }, HALF_LIFE);
    for (let i = 0; i < 20; i++) improver = addSurvey(improver, { rating: 4.8, weight: 1, answeredAt: t0 + (200 + i) * DAY }, HALF_LIFE);
    for (let i = 0; i < 40; i++) mediocre = addSurvey(mediocre, { rating: 3.2, weight: 1, answeredAt: t0 + i * 6 * DAY }, HALF_LIFE);
    const at = t0 + 220 * DAY;
    expect(scoreAt(improver, at, PRIOR, HALF_LIFE)).toBeGreaterThan(scoreAt(mediocre, at, PRIOR, HALF_LIFE));
  });

  it('rates a survey on the 1–5 scale, helpfulness counting twice, an unsolved problem halfway to the bottom', () => {
    expect(surveyRating({ solved: true, timeliness: 5, helpfulness: 5 })).toBe(5);
    expect(surveyRating({ solved: true, timeliness: 2, helpfulness: 5 })).toBe(4);
    expect(surveyRating({ solved: false, timeliness: 5, helpfulness: 5 })).toBe(3);
    expect(surveyRating({ solved: false, timeliness: 1, helpfulness: 1 })).toBe(1);
  });
});
