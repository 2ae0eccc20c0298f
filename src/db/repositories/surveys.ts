import type { Attributes } from 'sequelize';
import type { Models } from '../models/index.ts';
import type { Survey, SurveyStatus } from '../models/survey.ts';
import { Sql } from '../sql.ts';
import type { InTransaction } from './in-transaction.ts';

export type SurveyRow = Attributes<Survey>;

/** What filled a survey in: the customer's answer, or the defaults. */
export interface SurveyFilling {
  status: Exclude<SurveyStatus, 'pending'>;
  solved: boolean;
  timeliness: number;
  helpfulness: number;
  comment: string | null;
  rating: number;
  weight: number;
}

/** Resolved tickets' surveys. */
export function surveysRepository(sql: Sql, { Survey }: Pick<Models, 'Survey'>) {
  return {
    async open(survey: Pick<SurveyRow, 'ticketId' | 'expertId' | 'categoryId' | 'tokenHash' | 'tokenSalt'>, opts: InTransaction & { now: Date }): Promise<number> {
      const [id] = await sql.insert(Survey, [survey], opts);
      return id!;
    },

    byId(id: number, opts: InTransaction & { forUpdate?: boolean } = {}): Promise<SurveyRow | undefined> {
      return sql.selectOne(Survey, 'id = ?', [id], opts);
    },

    byTokenHash(tokenHash: string, opts: InTransaction & { forUpdate?: boolean } = {}): Promise<SurveyRow | undefined> {
      return sql.selectOne(Survey, 'token_hash = ?', [tokenHash], opts);
    },

    async byIds(ids: readonly number[], opts: InTransaction = {}): Promise<Map<number, SurveyRow>> {
      // Once each: a transcript names the same survey in several notices.
      const unique = [...new Set(ids)];
      if (unique.length === 0) return new Map();
      const rows = await sql.select(Survey, `id IN (${Sql.list(unique.length)})`, unique, opts);
      return new Map(rows.map((r) => [r.id, r]));
    },

    /** The names the survey page shows: the expert's alias on the ticket (their last) and the category's name. */
    async namesFor(id: number, opts: InTransaction = {}): Promise<{ expertAlias: string | null; categoryName: string | null }> {
      const [row] = await sql.query<{ alias: string | null; category: string | null }>(
        `SELECT (SELECT a.name FROM ticket_aliases a WHERE a.ticket_id = s.ticket_id AND a.side = 'expert' AND a.expert_id = s.expert_id ORDER BY a.id DESC LIMIT 1) AS alias,
                c.name AS category
           FROM surveys s JOIN categories c ON c.id = s.category_id WHERE s.id = ?`,
        [id],
        opts,
      );
      return { expertAlias: row?.alias ?? null, categoryName: row?.category ?? null };
    },

    /** Fills a pending survey in; false when it was not pending any more (answered or defaulted meanwhile). */
    async fill(id: number, filling: SurveyFilling, opts: InTransaction & { now: Date }): Promise<boolean> {
      return (await sql.update(Survey, { ...filling, answeredAt: opts.now }, "id = ? AND status = 'pending'", [id], opts)) === 1;
    },

    /** Counts reminder `step` as sent; false when it was already, or the survey is no longer pending. */
    async markReminderSent(id: number, step: number, opts: InTransaction & { now: Date }): Promise<boolean> {
      return (await sql.update(Survey, { remindersSent: step }, "id = ? AND status = 'pending' AND reminders_sent < ?", [id, step], opts)) === 1;
    },
  };
}

export type SurveysRepository = ReturnType<typeof surveysRepository>;
