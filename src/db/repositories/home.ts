import type { Models } from '../models/index.ts';
import { Sql } from '../sql.ts';
import type { InTransaction } from './in-transaction.ts';

/** A page of a list: `offset` rows skipped, at most `limit` taken. */
export interface PageWindow {
  limit: number;
  offset: number;
}

/** The rows of one page and how many the whole list holds. */
export interface PageOf<T> {
  rows: T[];
  total: number;
}

/** The ranking's prior and decay, as the score formula needs them (see domain/ranking/rules.ts). */
export interface ScoreTerms {
  now: Date;
  priorMean: number;
  priorWeight: number;
  halfLifeDays: number;
}

export interface HomeExpertRow {
  id: number;
  name: string;
  checkedIn: boolean;
  suspendedAt: Date | null;
  suspensionReason: string | null;
  workingHours: string | null;
  /** Approved for at least one category. */
  approved: boolean;
}

export interface OpenTicketRow {
  id: number;
  status: string;
  categoryName: string;
  bookedAt: Date | null;
  /** The DM the expert's thread for it was posted in, once posted. */
  threadChannel: string | null;
}

export interface UnassignedTicketRow {
  id: number;
  categoryName: string;
  urgency: string;
  createdAt: Date;
  tier: number | null;
  exhausted: boolean;
}

export interface RankedExpertRow {
  id: number;
  name: string;
  slackUserId: string | null;
  suspended: boolean;
  surveys: number;
  score: number;
}

export interface StandingRow {
  score: number;
  surveys: number;
  /** 1-based, in the leaderboard's order. */
  rank: number;
  /** Approved experts ranked. */
  of: number;
}

export interface BookingTimesRow {
  expertId: number;
  createdAt: Date;
  bookedAt: Date;
  resolvedAt: Date | null;
}

export interface ApplicationRow {
  expertId: number;
  name: string;
  slackUserId: string | null;
  appliedAt: Date;
  categories: string[];
}

export interface ExhaustedTicketRow {
  id: number;
  categoryName: string;
  urgency: string;
  exhaustedAt: Date;
}

export interface SuspendedExpertRow {
  id: number;
  name: string;
  slackUserId: string | null;
  reason: string | null;
  suspendedAt: Date;
}

export interface EarningsRow {
  currency: string;
  amountMinor: number;
  tickets: number;
}

// SQLite hands dates back as text, MariaDB's driver as Dates; counts may come back as strings.
const toDate = (v: unknown): Date => (v instanceof Date ? v : new Date(String(v)));
const toDateOrNull = (v: unknown): Date | null => (v === null || v === undefined ? null : toDate(v));
const toNumber = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const toBool = (v: unknown): boolean => v === true || v === 1 || v === '1';
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

const APPROVED = "EXISTS (SELECT 1 FROM expert_skills s WHERE s.expert_id = e.id AND s.status = 'approved')";
const BOOKABLE = "t.status IN ('open', 'dispatched')";
const DAY_MS = 24 * 60 * 60 * 1000;

/** `LIMIT n OFFSET m` of a checked window (integers written into the SQL, the same on both engines). */
function limit(w: PageWindow): string {
  if (!Number.isSafeInteger(w.limit) || !Number.isSafeInteger(w.offset) || w.limit < 1 || w.offset < 0) throw new RangeError(`bad page window ${JSON.stringify(w)}`);
  return `LIMIT ${w.limit} OFFSET ${w.offset}`;
}

/**
 * What the App Home shows (domain/home), read set-wise: each method is one statement (or
 * two: a page and its list's size) whatever the number of experts, tickets or surveys, and
 * reads at most a page of rows. Scores are computed in SQL with the ranking's formula, so
 * the leaderboard and an expert's rank are an ORDER BY … LIMIT and a COUNT, not a score
 * per expert in code.
 */
export function homeRepository(sql: Sql, _models: Models) {
  /** Milliseconds from `col` to the parameter (now), by the engine's own date arithmetic. */
  const msSince = (col: string) => (sql.engine === 'sqlite' ? `((unixepoch(?, 'subsec') - unixepoch(${col}, 'subsec')) * 1000.0)` : `(TIMESTAMPDIFF(MICROSECOND, ${col}, ?) / 1000.0)`);

  /**
   * The approved experts with their current overall score (scoreAt in domain/ranking/rules.ts:
   * the decayed sums pulled toward the prior), as a derived table `ranked`.
   */
  const ranked = (t: ScoreTerms, where?: string): { text: string; params: unknown[] } => {
    const halfLifeMs = t.halfLifeDays * DAY_MS;
    const decay = `POWER(2, -(CASE WHEN x.el > 0 THEN x.el ELSE 0 END) / ?)`;
    return {
      text: `(SELECT x.id, x.name, x.slack_user_id, x.suspended_at, x.surveys,
                CASE WHEN x.w IS NULL THEN ? ELSE (? + x.wr * ${decay}) / (? + x.w * ${decay}) END AS score
           FROM (SELECT e.id, e.name, e.slack_user_id, e.suspended_at, COALESCE(r.surveys, 0) AS surveys, r.weighted_ratings AS wr, r.weights AS w,
                        ${msSince('r.decayed_at')} AS el
                   FROM experts e LEFT JOIN ranking_sums r ON r.expert_id = e.id AND r.category_id = 0
                  WHERE ${APPROVED}${where ? ` AND ${where}` : ''}) x)`,
      params: [t.priorMean, t.priorWeight * t.priorMean, halfLifeMs, t.priorWeight, halfLifeMs, t.now],
    };
  };
  const count = async (text: string, params: readonly unknown[], opts: InTransaction): Promise<number> => {
    const [row] = await sql.query<{ n: unknown }>(text, params, opts);
    return toNumber(row?.n);
  };
  const readRanked = (r: Record<string, unknown>): RankedExpertRow => ({
    id: toNumber(r.id),
    name: String(r.name),
    slackUserId: str(r.slack_user_id),
    suspended: r.suspended_at !== null && r.suspended_at !== undefined,
    surveys: toNumber(r.surveys),
    score: toNumber(r.score),
  });

  return {
    // --- the viewer ---

    /** The expert with this Slack user id, and whether any category of theirs is approved. */
    async expertBySlackId(slackUserId: string, opts: InTransaction = {}): Promise<HomeExpertRow | undefined> {
      const [row] = await sql.query<Record<string, unknown>>(
        `SELECT e.id, e.name, e.checked_in, e.suspended_at, e.suspension_reason, e.working_hours, ${APPROVED} AS approved FROM experts e WHERE e.slack_user_id = ?`,
        [slackUserId],
        opts,
      );
      if (!row) return undefined;
      return {
        id: toNumber(row.id),
        name: String(row.name),
        checkedIn: toBool(row.checked_in),
        suspendedAt: toDateOrNull(row.suspended_at),
        suspensionReason: str(row.suspension_reason),
        workingHours: str(row.working_hours),
        approved: toBool(row.approved) || toNumber(row.approved) > 0,
      };
    },

    /** The Slack user ids of these experts (those that have one). */
    async slackIdsOf(expertIds: readonly number[], opts: InTransaction = {}): Promise<string[]> {
      if (expertIds.length === 0) return [];
      const rows = await sql.query<{ slack_user_id: string }>(`SELECT slack_user_id FROM experts WHERE id IN (${Sql.list(expertIds.length)}) AND slack_user_id IS NOT NULL`, expertIds, opts);
      return rows.map((r) => r.slack_user_id);
    },

    // --- an expert's Home ---

    /** The expert's booked and resolving tickets, oldest booking first, with the DM their thread is in. */
    async openTickets(expertId: number, page: PageWindow, opts: InTransaction = {}): Promise<PageOf<OpenTicketRow>> {
      const where = "t.expert_id = ? AND t.status IN ('booked', 'close_pending')";
      const rows = await sql.query<Record<string, unknown>>(
        `SELECT t.id, t.status, t.booked_at, c.name AS category_name,
                (SELECT m.channel FROM slack_messages m WHERE m.ticket_id = t.id AND m.purpose = 'expert_thread' AND m.expert_id = t.expert_id AND m.ts IS NOT NULL ORDER BY m.id DESC LIMIT 1) AS thread_channel
           FROM tickets t JOIN categories c ON c.id = t.category_id
          WHERE ${where} ORDER BY t.booked_at, t.id ${limit(page)}`,
        [expertId],
        opts,
      );
      const total = await count(`SELECT COUNT(*) AS n FROM tickets t WHERE ${where}`, [expertId], opts);
      return {
        rows: rows.map((r) => ({ id: toNumber(r.id), status: String(r.status), categoryName: String(r.category_name), bookedAt: toDateOrNull(r.booked_at), threadChannel: str(r.thread_channel) })),
        total,
      };
    },

    /** Unbooked tickets of the categories the expert is approved for (whom Book accepts), oldest first. */
    async unassignedFor(expertId: number, page: PageWindow, opts: InTransaction = {}): Promise<PageOf<UnassignedTicketRow>> {
      const where = `${BOOKABLE} AND t.category_id IN (SELECT s.category_id FROM expert_skills s WHERE s.expert_id = ? AND s.status = 'approved')`;
      const rows = await sql.query<Record<string, unknown>>(
        `SELECT t.id, t.urgency, t.created_at, t.tier, t.escalation_exhausted_at, c.name AS category_name
           FROM tickets t JOIN categories c ON c.id = t.category_id
          WHERE ${where} ORDER BY t.id ${limit(page)}`,
        [expertId],
        opts,
      );
      const total = await count(`SELECT COUNT(*) AS n FROM tickets t WHERE ${where}`, [expertId], opts);
      return {
        rows: rows.map((r) => ({
          id: toNumber(r.id),
          categoryName: String(r.category_name),
          urgency: String(r.urgency),
          createdAt: toDate(r.created_at),
          tier: r.tier === null || r.tier === undefined ? null : toNumber(r.tier),
          exhausted: r.escalation_exhausted_at !== null && r.escalation_exhausted_at !== undefined,
        })),
        total,
      };
    },

    /**
     * The expert's score and surveys now, and their place in the leaderboard as last ranked
     * (rank 0: not ranked yet); undefined when not approved.
     */
    async standing(expertId: number, terms: ScoreTerms, opts: InTransaction = {}): Promise<StandingRow | undefined> {
      const a = ranked(terms, 'e.id = ?');
      const [row] = await sql.query<Record<string, unknown>>(
        `SELECT me.score, me.surveys, p.position, (SELECT COUNT(*) FROM leaderboard_positions) AS ranked
           FROM ${a.text} me LEFT JOIN leaderboard_positions p ON p.expert_id = me.id`,
        [...a.params, expertId],
        opts,
      );
      if (!row) return undefined;
      return { score: toNumber(row.score), surveys: toNumber(row.surveys), rank: toNumber(row.position), of: toNumber(row.ranked) };
    },

    /** The expert's fees and corrections that occurred in [start, end), per currency. */
    async earnings(expertId: number, start: Date, end: Date, opts: InTransaction = {}): Promise<EarningsRow[]> {
      const rows = await sql.query<Record<string, unknown>>(
        `SELECT currency, SUM(amount_minor) AS amount_minor, SUM(CASE WHEN kind = 'fee' THEN 1 ELSE 0 END) AS tickets
           FROM expert_fees WHERE expert_id = ? AND occurred_at >= ? AND occurred_at < ? GROUP BY currency ORDER BY currency`,
        [expertId, start, end],
        opts,
      );
      return rows.map((r) => ({ currency: String(r.currency), amountMinor: toNumber(r.amount_minor), tickets: toNumber(r.tickets) }));
    },

    // --- the managers' Home ---

    /** A page of the leaderboard as last ranked (see rankExperts), best first. */
    async leaderboard(page: PageWindow, opts: InTransaction = {}): Promise<PageOf<RankedExpertRow>> {
      const rows = await sql.query<Record<string, unknown>>(
        `SELECT e.id, e.name, e.slack_user_id, e.suspended_at, p.surveys, p.score
           FROM leaderboard_positions p JOIN experts e ON e.id = p.expert_id
          ORDER BY p.position ${limit(page)}`,
        [],
        opts,
      );
      const total = await count('SELECT COUNT(*) AS n FROM leaderboard_positions', [], opts);
      return { rows: rows.map(readRanked), total };
    },

    /** When the leaderboard was last ranked; undefined if never. */
    async rankedAt(opts: InTransaction = {}): Promise<Date | undefined> {
      const [row] = await sql.query<{ ranked_at: unknown }>('SELECT ranked_at FROM leaderboard_positions ORDER BY position LIMIT 1', [], opts);
      return row ? toDate(row.ranked_at) : undefined;
    },

    /**
     * Ranks every approved expert by their score now (ties: more surveys, then the earlier
     * expert) and keeps the order: one read of all approved experts, and their rows written
     * in chunks, replacing the last ranking. Returns how many were ranked.
     */
    async rankExperts(terms: ScoreTerms, opts: InTransaction = {}): Promise<number> {
      const a = ranked(terms);
      const rows = await sql.query<Record<string, unknown>>(`SELECT id, surveys, score FROM ${a.text} ranked ORDER BY score DESC, surveys DESC, id ASC`, a.params, opts);
      await sql.execute('DELETE FROM leaderboard_positions', [], opts);
      const CHUNK = 500;
      for (let i = 0; i < rows.length; i += CHUNK) {
        const chunk = rows.slice(i, i + CHUNK);
        await sql.execute(
          `INSERT INTO leaderboard_positions (expert_id, position, score, surveys, ranked_at) VALUES ${chunk.map(() => '(?, ?, ?, ?, ?)').join(', ')}`,
          chunk.flatMap((r, j) => [toNumber(r.id), i + j + 1, toNumber(r.score), toNumber(r.surveys), terms.now]),
          opts,
        );
      }
      return rows.length;
    },

    /** The tickets these experts booked since `since` (their booking standing), with filing, booking and resolution times. */
    async bookingTimes(expertIds: readonly number[], since: Date, opts: InTransaction = {}): Promise<BookingTimesRow[]> {
      if (expertIds.length === 0) return [];
      const rows = await sql.query<Record<string, unknown>>(
        `SELECT expert_id, created_at, booked_at, resolved_at FROM tickets WHERE expert_id IN (${Sql.list(expertIds.length)}) AND booked_at >= ?`,
        [...expertIds, since],
        opts,
      );
      return rows.map((r) => ({ expertId: toNumber(r.expert_id), createdAt: toDate(r.created_at), bookedAt: toDate(r.booked_at), resolvedAt: toDateOrNull(r.resolved_at) }));
    },

    /** Experts with categories applied for and not yet decided, earliest application first, with those categories' names. */
    async applications(page: PageWindow, opts: InTransaction = {}): Promise<PageOf<ApplicationRow>> {
      const rows = await sql.query<Record<string, unknown>>(
        `SELECT e.id, e.name, e.slack_user_id, MIN(s.created_at) AS applied_at
           FROM expert_skills s JOIN experts e ON e.id = s.expert_id
          WHERE s.status = 'applied' GROUP BY e.id, e.name, e.slack_user_id ORDER BY applied_at, e.id ${limit(page)}`,
        [],
        opts,
      );
      const total = await count("SELECT COUNT(DISTINCT expert_id) AS n FROM expert_skills WHERE status = 'applied'", [], opts);
      const ids = rows.map((r) => toNumber(r.id));
      const categories = new Map<number, string[]>(ids.map((id) => [id, []]));
      if (ids.length > 0) {
        const skills = await sql.query<{ expert_id: unknown; name: string }>(
          `SELECT s.expert_id, c.name FROM expert_skills s JOIN categories c ON c.id = s.category_id
            WHERE s.status = 'applied' AND s.expert_id IN (${Sql.list(ids.length)}) ORDER BY c.name`,
          ids,
          opts,
        );
        for (const s of skills) categories.get(toNumber(s.expert_id))?.push(String(s.name));
      }
      return {
        rows: rows.map((r) => ({ expertId: toNumber(r.id), name: String(r.name), slackUserId: str(r.slack_user_id), appliedAt: toDate(r.applied_at), categories: categories.get(toNumber(r.id)) ?? [] })),
        total,
      };
    },

    /** Unbooked tickets whose last tier timed out (the managers were alerted), longest waiting first. */
    async exhaustedTickets(page: PageWindow, opts: InTransaction = {}): Promise<PageOf<ExhaustedTicketRow>> {
      const where = `${BOOKABLE} AND t.escalation_exhausted_at IS NOT NULL`;
      const rows = await sql.query<Record<string, unknown>>(
        `SELECT t.id, t.urgency, t.escalation_exhausted_at, c.name AS category_name FROM tickets t JOIN categories c ON c.id = t.category_id
          WHERE ${where} ORDER BY t.escalation_exhausted_at, t.id ${limit(page)}`,
        [],
        opts,
      );
      const total = await count(`SELECT COUNT(*) AS n FROM tickets t WHERE ${where}`, [], opts);
      return { rows: rows.map((r) => ({ id: toNumber(r.id), categoryName: String(r.category_name), urgency: String(r.urgency), exhaustedAt: toDate(r.escalation_exhausted_at) })), total };
    },

    /** Suspended experts, longest suspended first. */
    async suspendedExperts(page: PageWindow, opts: InTransaction = {}): Promise<PageOf<SuspendedExpertRow>> {
      const rows = await sql.query<Record<string, unknown>>(
        `SELECT id, name, slack_user_id, suspension_reason, suspended_at FROM experts WHERE suspended_at IS NOT NULL ORDER BY suspended_at, id ${limit(page)}`,
        [],
        opts,
      );
      const total = await count('SELECT COUNT(*) AS n FROM experts WHERE suspended_at IS NOT NULL', [], opts);
      return { rows: rows.map((r) => ({ id: toNumber(r.id), name: String(r.name), slackUserId: str(r.slack_user_id), reason: str(r.suspension_reason), suspendedAt: toDate(r.suspended_at) })), total };
    },

    // --- who looks at their Home ---

    /** The viewer opened their Home now. */
    async recordOpened(slackUserId: string, now: Date, opts: InTransaction = {}): Promise<void> {
      const upsert =
        sql.engine === 'sqlite'
          ? 'INSERT INTO home_views (slack_user_id, opened_at, updated_at) VALUES (?, ?, ?) ON CONFLICT (slack_user_id) DO UPDATE SET opened_at = excluded.opened_at, updated_at = excluded.updated_at'
          : 'INSERT INTO home_views (slack_user_id, opened_at, updated_at) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE opened_at = VALUES(opened_at), updated_at = VALUES(updated_at)';
      await sql.execute(upsert, [slackUserId, now, now], opts);
    },

    /** The pages the viewer chose (JSON), kept for the Home's next publishing. */
    async savePages(slackUserId: string, pages: string, now: Date, opts: InTransaction = {}): Promise<void> {
      const upsert =
        sql.engine === 'sqlite'
          ? 'INSERT INTO home_views (slack_user_id, pages, updated_at) VALUES (?, ?, ?) ON CONFLICT (slack_user_id) DO UPDATE SET pages = excluded.pages, updated_at = excluded.updated_at'
          : 'INSERT INTO home_views (slack_user_id, pages, updated_at) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE pages = VALUES(pages), updated_at = VALUES(updated_at)';
      await sql.execute(upsert, [slackUserId, pages, now], opts);
    },

    /** The pages the viewer last chose (JSON), if any. */
    async pagesOf(slackUserId: string, opts: InTransaction = {}): Promise<string | null> {
      const [row] = await sql.query<{ pages: unknown }>('SELECT pages FROM home_views WHERE slack_user_id = ?', [slackUserId], opts);
      return str(row?.pages);
    },

    /** The Slack users approved for the category, not suspended, who opened their Home since `since`. */
    async recentViewersQualifiedFor(categoryId: number, since: Date, opts: InTransaction = {}): Promise<string[]> {
      const rows = await sql.query<{ slack_user_id: string }>(
        `SELECT h.slack_user_id FROM home_views h
           JOIN experts e ON e.slack_user_id = h.slack_user_id
           JOIN expert_skills s ON s.expert_id = e.id AND s.category_id = ? AND s.status = 'approved'
          WHERE h.opened_at >= ? AND e.suspended_at IS NULL`,
        [categoryId, since],
        opts,
      );
      return rows.map((r) => r.slack_user_id);
    },
  };
}

export type HomeRepository = ReturnType<typeof homeRepository>;
