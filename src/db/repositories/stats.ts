import type { Models } from '../models/index.ts';
import type { Sql } from '../sql.ts';
import type { InTransaction } from './in-transaction.ts';

/** A time range: `from` inclusive, `to` exclusive. */
export interface StatsRange {
  from: Date;
  to: Date;
}

/** One ticket's filing time and the later time a duration is measured to. */
export interface TicketSpan {
  createdAt: Date;
  at: Date;
}

/** The surveys of one expert or category filled in a range, as sums (divided in the domain). */
export interface SurveyTotals {
  id: number;
  /** The expert's name, or the category's name. */
  name: string;
  /** The expert's Slack user id (null if it has none), or the category's key. */
  ref: string | null;
  surveys: number;
  answered: number;
  defaulted: number;
  solved: number;
  solvedAnswered: number;
  helpfulnessSum: number;
  timelinessSum: number;
  helpfulnessSumAnswered: number;
  timelinessSumAnswered: number;
}

type TotalsRow = { [K in keyof SurveyTotals]: unknown };

// SQLite hands dates back as text ("2026-11-01 10:00:00.000 +00:00"), MariaDB's driver as Dates.
const toDate = (v: unknown): Date => (v instanceof Date ? v : new Date(String(v)));

// Drivers may hand back COUNT/SUM as strings (MariaDB's DECIMAL sums) or bigints; SUM of no rows is NULL.
const toNumber = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

/**
 * Statistics over a time range (see docs/statistics.md). Each figure is one statement over
 * an index on the time it is counted by: tickets(created_at), (booked_at), (resolved_at),
 * slack_messages(purpose, created_at), surveys(answered_at).
 */
export function statsRepository(sql: Sql, _models: Models) {
  const count = async (text: string, params: readonly unknown[], opts: InTransaction): Promise<number> => {
    const [row] = await sql.query<{ n: unknown }>(text, params, opts);
    return toNumber(row?.n);
  };
  const spans = async (column: 'booked_at' | 'resolved_at', range: StatsRange, opts: InTransaction): Promise<TicketSpan[]> => {
    const rows = await sql.query<{ created_at: unknown; at: unknown }>(`SELECT created_at, ${column} AS at FROM tickets WHERE ${column} >= ? AND ${column} < ?`, [range.from, range.to], opts);
    return rows.map((r) => ({ createdAt: toDate(r.created_at), at: toDate(r.at) }));
  };
  // Answered and defaulted surveys both have answered_at (when they were filled in).
  const totals = (select: string, join: string, groupBy: string) => `
    SELECT ${select},
      COUNT(*) AS surveys,
      SUM(CASE WHEN s.status = 'answered' THEN 1 ELSE 0 END) AS answered,
      SUM(CASE WHEN s.status = 'defaulted' THEN 1 ELSE 0 END) AS defaulted,
      SUM(CASE WHEN s.solved = 1 THEN 1 ELSE 0 END) AS solved,
      SUM(CASE WHEN s.status = 'answered' AND s.solved = 1 THEN 1 ELSE 0 END) AS solvedAnswered,
      SUM(s.helpfulness) AS helpfulnessSum,
      SUM(s.timeliness) AS timelinessSum,
      SUM(CASE WHEN s.status = 'answered' THEN s.helpfulness ELSE 0 END) AS helpfulnessSumAnswered,
      SUM(CASE WHEN s.status = 'answered' THEN s.timeliness ELSE 0 END) AS timelinessSumAnswered
    FROM surveys s ${join}
    WHERE s.answered_at >= ? AND s.answered_at < ? AND s.status IN ('answered', 'defaulted')
    GROUP BY ${groupBy}
    ORDER BY COUNT(*) DESC, name, id`;
  const readTotals = (rows: TotalsRow[]): SurveyTotals[] =>
    rows.map((r) => ({
      id: toNumber(r.id),
      name: String(r.name),
      ref: r.ref === null || r.ref === undefined ? null : String(r.ref),
      surveys: toNumber(r.surveys),
      answered: toNumber(r.answered),
      defaulted: toNumber(r.defaulted),
      solved: toNumber(r.solved),
      solvedAnswered: toNumber(r.solvedAnswered),
      helpfulnessSum: toNumber(r.helpfulnessSum),
      timelinessSum: toNumber(r.timelinessSum),
      helpfulnessSumAnswered: toNumber(r.helpfulnessSumAnswered),
      timelinessSumAnswered: toNumber(r.timelinessSumAnswered),
    }));

  return {
    /** The stored statistics of the last `days` days (JSON, see domain/home/statistics-snapshots.ts) and when they were computed. */
    async snapshots(opts: InTransaction = {}): Promise<{ days: number; summary: string; computedAt: Date }[]> {
      const rows = await sql.query<Record<string, unknown>>('SELECT days, summary, computed_at FROM statistics_snapshots', [], opts);
      return rows.map((r) => ({ days: toNumber(r.days), summary: String(r.summary), computedAt: toDate(r.computed_at) }));
    },

    /** Keeps the statistics of the last `days` days, replacing the ones before. */
    async saveSnapshot(days: number, summary: string, computedAt: Date, opts: InTransaction = {}): Promise<void> {
      const upsert =
        sql.engine === 'sqlite'
          ? 'INSERT INTO statistics_snapshots (days, summary, computed_at) VALUES (?, ?, ?) ON CONFLICT (days) DO UPDATE SET summary = excluded.summary, computed_at = excluded.computed_at'
          : 'INSERT INTO statistics_snapshots (days, summary, computed_at) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE summary = VALUES(summary), computed_at = VALUES(computed_at)';
      await sql.execute(upsert, [days, summary, computedAt], opts);
    },

    /** Tickets created in the range. */
    async filed(range: StatsRange, opts: InTransaction = {}): Promise<number> {
      return count('SELECT COUNT(*) AS n FROM tickets WHERE created_at >= ? AND created_at < ?', [range.from, range.to], opts);
    },

    /** Tickets whose (current) booking was made in the range: filing and booking times. */
    async booked(range: StatsRange, opts: InTransaction = {}): Promise<TicketSpan[]> {
      return spans('booked_at', range, opts);
    },

    /** Tickets resolved in the range: filing and resolution times. */
    async resolved(range: StatsRange, opts: InTransaction = {}): Promise<TicketSpan[]> {
      return spans('resolved_at', range, opts);
    },

    /**
     * Tickets posted to a tier past the first in the range: the dispatch message of each
     * escalation stays, where the ticket's own `tier` is reset when it is released.
     */
    async escalated(range: StatsRange, opts: InTransaction = {}): Promise<number> {
      return count("SELECT COUNT(DISTINCT ticket_id) AS n FROM slack_messages WHERE purpose = 'dispatch' AND created_at >= ? AND created_at < ? AND tier > 1", [range.from, range.to], opts);
    },

    /**
     * Tickets whose last tier timed out unbooked in the range: the managers' alert stays,
     * where `escalation_exhausted_at` is cleared when the ticket is released.
     */
    async exhausted(range: StatsRange, opts: InTransaction = {}): Promise<number> {
      return count("SELECT COUNT(DISTINCT ticket_id) AS n FROM slack_messages WHERE purpose = 'escalation_alert' AND created_at >= ? AND created_at < ?", [range.from, range.to], opts);
    },

    /** Surveys filled in (answered or defaulted) in the range, per expert rated. */
    async surveysByExpert(range: StatsRange, opts: InTransaction = {}): Promise<SurveyTotals[]> {
      const rows = await sql.query<TotalsRow>(totals('e.id AS id, e.name AS name, e.slack_user_id AS ref', 'JOIN experts e ON e.id = s.expert_id', 'e.id, e.name, e.slack_user_id'), [range.from, range.to], opts);
      return readTotals(rows);
    },

    /** Surveys filled in (answered or defaulted) in the range, per category. */
    async surveysByCategory(range: StatsRange, opts: InTransaction = {}): Promise<SurveyTotals[]> {
      const rows = await sql.query<TotalsRow>(totals('c.id AS id, c.name AS name, c.`key` AS ref', 'JOIN categories c ON c.id = s.category_id', 'c.id, c.name, c.`key`'), [range.from, range.to], opts);
      return readTotals(rows);
    },
  };
}
