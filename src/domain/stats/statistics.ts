import type { StatsRange, SurveyTotals, TicketSpan } from '../../db/repositories/stats.ts';
import type { DomainContext } from '../domain-context.ts';
import { medianAndP90 } from './percentiles.ts';

/** Median and 90th percentile of a duration, in milliseconds; null when nothing was measured. */
export interface DurationStats {
  /** How many tickets were measured. */
  count: number;
  medianMs: number | null;
  p90Ms: number | null;
}

/** Satisfaction of one expert or one category, from the surveys filled in over the range. */
export interface SatisfactionRow {
  id: number;
  /** The expert's name, or the category's name. */
  name: string;
  /** The expert's Slack user id, or the category's key. */
  ref: string | null;
  /** Surveys filled in: answered by the customer plus defaulted. */
  surveys: number;
  answered: number;
  defaulted: number;
  /** Share (0–1) of all surveys marked solved, defaults included; null when none. */
  solvedRate: number | null;
  /** Share (0–1) of the answered surveys marked solved (defaults left out); null when none answered. */
  solvedRateAnswered: number | null;
  /** Mean helpfulness and timeliness (1–5) over all surveys, defaults included. */
  meanHelpfulness: number | null;
  meanTimeliness: number | null;
  /** The same means over the answered surveys only. */
  meanHelpfulnessAnswered: number | null;
  meanTimelinessAnswered: number | null;
}

export interface Statistics {
  /** `from` inclusive, `to` exclusive. */
  range: StatsRange;
  tickets: {
    /** Created in the range. */
    filed: number;
    /** Booked in the range (the booking that stands; a booking later released is not counted). */
    booked: number;
    /** Resolved in the range. */
    resolved: number;
    /** Posted to a tier past the first in the range (each ticket once). */
    escalated: number;
    /** Whose last tier timed out unbooked in the range, alerting the managers (each ticket once). */
    exhausted: number;
  };
  /** From filing to booking, over the tickets booked in the range. */
  timeToBook: DurationStats;
  /** From filing to resolution, over the tickets resolved in the range. */
  timeToResolve: DurationStats;
  satisfaction: {
    byExpert: SatisfactionRow[];
    byCategory: SatisfactionRow[];
  };
}

/**
 * The statistics of a time range [from, to): volumes, times to book and resolve, escalations
 * and satisfaction per expert and per category. Definitions: docs/statistics.md.
 */
export async function statistics(ctx: Pick<DomainContext, 'db'>, range: StatsRange): Promise<Statistics> {
  if (!(range.from.getTime() < range.to.getTime())) throw new RangeError(`the range's start (${range.from.toISOString()}) must be before its end (${range.to.toISOString()})`);
  const { stats } = ctx.db;
  const [filed, booked, resolved, escalated, exhausted, byExpert, byCategory] = await Promise.all([
    stats.filed(range),
    stats.booked(range),
    stats.resolved(range),
    stats.escalated(range),
    stats.exhausted(range),
    stats.surveysByExpert(range),
    stats.surveysByCategory(range),
  ]);
  return {
    range: { from: range.from, to: range.to },
    tickets: { filed, booked: booked.length, resolved: resolved.length, escalated, exhausted },
    timeToBook: durations(booked),
    timeToResolve: durations(resolved),
    satisfaction: { byExpert: byExpert.map(satisfaction), byCategory: byCategory.map(satisfaction) },
  };
}

function durations(spans: readonly TicketSpan[]): DurationStats {
  const { median, p90 } = medianAndP90(spans.map((s) => s.at.getTime() - s.createdAt.getTime()));
  return { count: spans.length, medianMs: median, p90Ms: p90 };
}

const ratio = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

function satisfaction(t: SurveyTotals): SatisfactionRow {
  return {
    id: t.id,
    name: t.name,
    ref: t.ref,
    surveys: t.surveys,
    answered: t.answered,
    defaulted: t.defaulted,
    solvedRate: ratio(t.solved, t.surveys),
    solvedRateAnswered: ratio(t.solvedAnswered, t.answered),
    meanHelpfulness: ratio(t.helpfulnessSum, t.surveys),
    meanTimeliness: ratio(t.timelinessSum, t.surveys),
    meanHelpfulnessAnswered: ratio(t.helpfulnessSumAnswered, t.answered),
    meanTimelinessAnswered: ratio(t.timelinessSumAnswered, t.answered),
  };
}
