import type { DomainContext } from '../domain-context.ts';
import { statistics } from '../stats/statistics.ts';
import type { StatsSummary } from './home-data.ts';

type SnapshotContext = Pick<DomainContext, 'db' | 'now'>;

const DAY_MS = 24 * 60 * 60 * 1000;
/** The statistics ranges the managers' Home shows. */
export const STATS_DAYS = [7, 30] as const;
/** How often the job computes them again (see jobs/definitions/home-statistics.ts). */
export const STATISTICS_EVERY_MS = 5 * 60_000;
/**
 * Older than this, a Home computes them itself rather than show stale figures (the job has
 * not run: the server was down, or it is the first start).
 */
const STALE_AFTER_MS = 3 * STATISTICS_EVERY_MS;

/**
 * The statistics of the last 7 and 30 days, as the managers' Home shows them. Reading every
 * ticket of 30 days grows with the network (a full network's 30 days take seconds), so a
 * job computes them every few minutes and the Home reads the stored result: one statement
 * whatever the size. Missing or stale ones are computed here and kept.
 */
export async function statisticsForHome(ctx: SnapshotContext): Promise<StatsSummary[]> {
  const now = ctx.now();
  const stored = new Map((await ctx.db.stats.snapshots()).map((s) => [s.days, s]));
  return Promise.all(
    STATS_DAYS.map(async (days) => {
      const s = stored.get(days);
      if (s && now.getTime() - s.computedAt.getTime() < STALE_AFTER_MS) {
        const summary = readSummary(s.summary, days, s.computedAt);
        if (summary) return summary;
      }
      return (await computeAndKeep(ctx, days, now)).summary;
    }),
  );
}

/**
 * Computes and keeps the statistics of every range (the job). Returns whether any figure
 * changed since the last computation, so the managers' Homes are republished only then
 * (not after the first: nobody has seen figures to correct).
 */
export async function refreshStatisticsSnapshots(ctx: SnapshotContext): Promise<boolean> {
  const now = ctx.now();
  const before = new Map((await ctx.db.stats.snapshots()).map((s) => [s.days, s.summary]));
  let changed = false;
  for (const days of STATS_DAYS) {
    const { stored } = await computeAndKeep(ctx, days, now);
    const previous = before.get(days);
    if (previous !== undefined && previous !== stored) changed = true;
  }
  return changed;
}

/** The figures of one range, computed now and kept (as JSON without their time, so equal figures store equal text). */
async function computeAndKeep(ctx: SnapshotContext, days: number, now: Date): Promise<{ summary: StatsSummary; stored: string }> {
  const summary = await summarise(ctx, days, now);
  const { asOf: _asOf, ...figures } = summary;
  const stored = JSON.stringify(figures);
  await ctx.db.stats.saveSnapshot(days, stored, now);
  return { summary, stored };
}

/** The Home's figures of one range, from the statistics' definitions (domain/stats/statistics.ts). */
async function summarise(ctx: SnapshotContext, days: number, now: Date): Promise<StatsSummary> {
  const s = await statistics(ctx, { from: new Date(now.getTime() - days * DAY_MS), to: now });
  const rows = s.satisfaction.byCategory;
  const surveys = rows.reduce((n, r) => n + r.surveys, 0);
  const weighted = (pick: (r: (typeof rows)[number]) => number | null) => (surveys > 0 ? rows.reduce((n, r) => n + (pick(r) ?? 0) * r.surveys, 0) / surveys : null);
  return {
    days,
    asOf: now,
    ...s.tickets,
    medianToBookMs: s.timeToBook.medianMs,
    medianToResolveMs: s.timeToResolve.medianMs,
    surveys,
    meanHelpfulness: weighted((r) => r.meanHelpfulness),
    solvedRate: weighted((r) => r.solvedRate),
  };
}

/** A stored summary, or undefined if it does not read as one (written by another version): computed again. */
function readSummary(json: string, days: number, asOf: Date): StatsSummary | undefined {
  try {
    const parsed = JSON.parse(json) as Partial<StatsSummary>;
    const numbers = ['filed', 'booked', 'resolved', 'escalated', 'exhausted', 'surveys'] as const;
    if (parsed.days !== days || numbers.some((k) => typeof parsed[k] !== 'number')) return undefined;
    return { ...(parsed as StatsSummary), asOf };
  } catch {
    return undefined;
  }
}
