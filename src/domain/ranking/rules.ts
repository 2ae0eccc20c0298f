/**
 * The arithmetic of the adaptive ranking (issue "Close the loop"): an expert's score is a
 * time-decayed Bayesian average of their survey ratings. Each survey's weight halves every
 * `halfLifeDays`, so recent surveys count more and someone who improves climbs back; a
 * prior of `priorWeight` pseudo-surveys at the network's mean keeps a newcomer near the
 * middle until their own surveys outweigh it. Pure functions: the survey use case keeps a
 * DecayedSum per expert (and per expert and category) and updates it in O(1) per survey.
 */

const MS_PER_DAY = 24 * 60 * 60 * 1000;

/** Σ wᵢ·rᵢ and Σ wᵢ of the surveys so far, each weight decayed to `at`. */
export interface DecayedSum {
  weightedRatings: number;
  weights: number;
  /** When the sums are decayed to (ms since the epoch). */
  at: number;
}

export const EMPTY_SUM: DecayedSum = { weightedRatings: 0, weights: 0, at: 0 };

/** How much a weight keeps after `ms`: ½ per half-life. */
export function decayFactor(ms: number, halfLifeDays: number): number {
  return 2 ** (-ms / (halfLifeDays * MS_PER_DAY));
}

/** The sums as they stand at `at` (a later time; an earlier one leaves them as they are). */
export function decayTo(sum: DecayedSum, at: number, halfLifeDays: number): DecayedSum {
  if (at <= sum.at || sum.weights === 0) return { ...sum, at: Math.max(at, sum.at) };
  const f = decayFactor(at - sum.at, halfLifeDays);
  return { weightedRatings: sum.weightedRatings * f, weights: sum.weights * f, at };
}

/**
 * The sums with one more survey: `rating` (1–5) answered at `answeredAt`, counting `weight`
 * (1 for an answer, less for a survey filled with defaults). A survey older than the sums
 * (recorded late) is decayed to them instead of them to it: the result is the same.
 */
export function addSurvey(sum: DecayedSum, survey: { rating: number; weight: number; answeredAt: number }, halfLifeDays: number): DecayedSum {
  const base = decayTo(sum, survey.answeredAt, halfLifeDays);
  const w = survey.weight * (survey.answeredAt < base.at ? decayFactor(base.at - survey.answeredAt, halfLifeDays) : 1);
  return { weightedRatings: base.weightedRatings + w * survey.rating, weights: base.weights + w, at: base.at };
}

/** The score at `at`: the decayed average of the ratings, pulled toward `priorMean` by `priorWeight` pseudo-surveys. */
export function scoreAt(sum: DecayedSum, at: number, prior: { mean: number; weight: number }, halfLifeDays: number): number {
  const now = decayTo(sum, at, halfLifeDays);
  return (prior.weight * prior.mean + now.weightedRatings) / (prior.weight + now.weights);
}

/**
 * One survey's rating on the 1–5 scale: the expert's helpfulness counts twice as much as
 * timeliness; a problem not solved halves the distance from the bottom of the scale.
 */
export function surveyRating(answer: { solved: boolean; timeliness: number; helpfulness: number }): number {
  const base = (2 * answer.helpfulness + answer.timeliness) / 3;
  return answer.solved ? base : 1 + (base - 1) / 2;
}
