import type { Attributes } from 'sequelize';
import type { Expert } from '../models/expert.ts';
import type { Models } from '../models/index.ts';
import { Sql } from '../sql.ts';
import type { InTransaction } from './in-transaction.ts';

export type ExpertRow = Attributes<Expert>;

/** Experts: who they are in Slack, what they may take, when they were paged. */
export function expertsRepository(sql: Sql, { Expert }: Pick<Models, 'Expert'>) {
  return {
    /** The expert with this Slack user id, or undefined. */
    bySlackId(slackUserId: string, opts: InTransaction = {}): Promise<ExpertRow | undefined> {
      return sql.selectOne(Expert, 'slack_user_id = ?', [slackUserId], opts);
    },

    /** The ids of those of `slackUserIds` who are experts, by Slack user id, in one statement. */
    async idsBySlackIds(slackUserIds: readonly string[], opts: InTransaction = {}): Promise<Map<string, number>> {
      const ids = [...new Set(slackUserIds)];
      if (ids.length === 0) return new Map();
      const rows = await sql.query<{ id: number; slack_user_id: string }>(`SELECT id, slack_user_id FROM experts WHERE slack_user_id IN (${Sql.list(ids.length)})`, ids, opts);
      return new Map(rows.map((r) => [r.slack_user_id, Number(r.id)]));
    },

    /**
     * The experts who may be paged in a group for a category, before working hours and
     * order: members of the group, approved for the category, checked in, not suspended,
     * with a Slack id.
     */
    pageableInGroup(groupId: number, categoryId: number, opts: InTransaction = {}): Promise<ExpertRow[]> {
      return sql.select(
        Expert,
        `checked_in = ? AND suspended_at IS NULL AND slack_user_id IS NOT NULL
           AND id IN (SELECT m.expert_id FROM group_memberships m JOIN expert_skills s ON s.expert_id = m.expert_id
                      WHERE m.group_id = ? AND s.category_id = ? AND s.status = 'approved')`,
        [true, groupId, categoryId],
        opts,
      );
    },

    /** Stores the expert's overall score after a survey and counts the survey toward their next review. */
    async recordScore(expertId: number, score: number, opts: InTransaction & { now: Date }): Promise<void> {
      await sql.execute('UPDATE experts SET score = ?, surveys_since_review = surveys_since_review + 1, updated_at = ? WHERE id = ?', [score, opts.now, expertId], opts);
    },

    byId(id: number, opts: InTransaction & { forUpdate?: boolean } = {}): Promise<ExpertRow | undefined> {
      return sql.selectOne(Expert, 'id = ?', [id], opts);
    },

    /** Suspends an expert who is not suspended; false when they already were. Their review count starts again. */
    async suspend(expertId: number, reason: string, opts: InTransaction & { now: Date }): Promise<boolean> {
      return (await sql.update(Expert, { suspendedAt: opts.now, suspensionReason: reason, surveysSinceReview: 0 }, 'id = ? AND suspended_at IS NULL', [expertId], opts)) === 1;
    },

    /** Lifts a suspension; false when the expert was not suspended. They are judged again after `ranking.minSurveys` new surveys. */
    async reinstate(expertId: number, opts: InTransaction & { now: Date }): Promise<boolean> {
      return (await sql.update(Expert, { suspendedAt: null, suspensionReason: null, surveysSinceReview: 0 }, 'id = ? AND suspended_at IS NOT NULL', [expertId], opts)) === 1;
    },

    /** Records that these experts were paged at `at` (the tie-break of the paging order). */
    async markPaged(expertIds: readonly number[], at: Date, opts: InTransaction = {}): Promise<void> {
      if (expertIds.length === 0) return;
      await sql.update(Expert, { lastPagedAt: at }, `id IN (${Sql.list(expertIds.length)})`, expertIds, { ...opts, now: at });
    },
  };
}

export type ExpertsRepository = ReturnType<typeof expertsRepository>;
