import type { Attributes } from 'sequelize';
import type { Expert } from '../models/expert.ts';
import type { Models } from '../models/index.ts';
import { Sql } from '../sql.ts';
import type { InTransaction } from './in-transaction.ts';

export type ExpertRow = Attributes<Expert>;

/** An expert (of the `experts` row at hand) is an approved one: approved for at least one category. */
const APPROVED_FOR_SOME_CATEGORY = "EXISTS (SELECT 1 FROM expert_skills s WHERE s.expert_id = experts.id AND s.status = 'approved')";

/** An expert as operators see them: their approved categories and groups by key. */
export interface ExpertOverview {
  id: number;
  slackUserId: string | null;
  name: string;
  email: string | null;
  checkedIn: boolean;
  suspendedAt: Date | null;
  score: number | null;
  categoryKeys: string[];
  groupKeys: string[];
}

/** Experts: who they are in Slack, what they may take, when they were paged. */
export function expertsRepository(sql: Sql, { Expert, ExpertSkill }: Pick<Models, 'Expert' | 'ExpertSkill'>) {
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
     * The experts who may be paged in a group for a category at `now`, before working hours
     * and order: members of the group, approved for the category, checked in, not
     * suspended, with a Slack id, and not inside one of their absences — in one statement.
     */
    pageableInGroup(groupId: number, categoryId: number, opts: InTransaction & { now: Date }): Promise<ExpertRow[]> {
      return sql.select(
        Expert,
        `checked_in = ? AND suspended_at IS NULL AND slack_user_id IS NOT NULL
           AND id IN (SELECT m.expert_id FROM group_memberships m JOIN expert_skills s ON s.expert_id = m.expert_id
                      WHERE m.group_id = ? AND s.category_id = ? AND s.status = 'approved')
           AND NOT EXISTS (SELECT 1 FROM expert_absences a WHERE a.expert_id = experts.id AND a.ends_at > ? AND a.starts_at <= ?)`,
        [true, groupId, categoryId, opts.now, opts.now],
        opts,
      );
    },

    /** The expert with this Slack user id if they are approved for at least one category, or undefined. */
    approvedBySlackId(slackUserId: string, opts: InTransaction = {}): Promise<ExpertRow | undefined> {
      return sql.selectOne(Expert, `slack_user_id = ? AND ${APPROVED_FOR_SOME_CATEGORY}`, [slackUserId], opts);
    },

    /** The expert with this id if they are approved for at least one category, or undefined. */
    approvedById(expertId: number, opts: InTransaction = {}): Promise<ExpertRow | undefined> {
      return sql.selectOne(Expert, `id = ? AND ${APPROVED_FOR_SOME_CATEGORY}`, [expertId], opts);
    },

    /** Stores the expert's weekly working hours (JSON WorkingHours, see domain/dispatch/working-hours.ts); null = any time. */
    async setWorkingHours(expertId: number, workingHours: string | null, opts: InTransaction & { now: Date }): Promise<void> {
      await sql.update(Expert, { workingHours }, 'id = ?', [expertId], opts);
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

    /** Checks the expert in (paged) or out (not paged); false when they already were so, or do not exist. */
    async setCheckedIn(expertId: number, checkedIn: boolean, opts: InTransaction & { now: Date }): Promise<boolean> {
      return (await sql.update(Expert, { checkedIn }, 'id = ? AND checked_in <> ?', [expertId, checkedIn], opts)) === 1;
    },

    /**
     * Approves the expert for these categories (an application, a rejection or nothing yet
     * alike), noting who decided; categories already approved are left as they are. Returns
     * how many were newly approved.
     */
    async approveSkills(expertId: number, categoryIds: readonly number[], opts: InTransaction & { now: Date; by: string }): Promise<number> {
      const ids = [...new Set(categoryIds)];
      if (ids.length === 0) return 0;
      const existing = await sql.query<{ category_id: number }>(`SELECT category_id FROM expert_skills WHERE expert_id = ? AND category_id IN (${Sql.list(ids.length)})`, [expertId, ...ids], opts);
      const have = new Set(existing.map((r) => Number(r.category_id)));
      const approval = { status: 'approved' as const, decidedAt: opts.now, decidedBy: opts.by };
      const updated = have.size === 0 ? 0 : await sql.update(ExpertSkill, approval, `expert_id = ? AND status <> 'approved' AND category_id IN (${Sql.list(have.size)})`, [expertId, ...have], opts);
      const missing = ids.filter((id) => !have.has(id));
      await sql.insert(ExpertSkill, missing.map((categoryId) => ({ expertId, categoryId, ...approval })), opts);
      return updated + missing.length;
    },

    /** Every expert with the categories they are approved for and the groups they sit in, by Slack user id then id. */
    async overview(opts: InTransaction = {}): Promise<ExpertOverview[]> {
      const experts = await sql.select(Expert, '1 = 1 ORDER BY slack_user_id, id', [], opts);
      const skills = await sql.query<{ expert_id: number; k: string }>(
        "SELECT s.expert_id, c.`key` AS k FROM expert_skills s JOIN categories c ON c.id = s.category_id WHERE s.status = 'approved' ORDER BY c.`key`",
        [],
        opts,
      );
      const groups = await sql.query<{ expert_id: number; k: string }>('SELECT m.expert_id, g.`key` AS k FROM group_memberships m JOIN `groups` g ON g.id = m.group_id ORDER BY g.`key`', [], opts);
      const byExpert = (rows: { expert_id: number; k: string }[]) => {
        const map = new Map<number, string[]>();
        for (const r of rows) map.set(Number(r.expert_id), [...(map.get(Number(r.expert_id)) ?? []), r.k]);
        return map;
      };
      const categoryKeys = byExpert(skills);
      const groupKeys = byExpert(groups);
      return experts.map((e) => ({
        id: e.id,
        slackUserId: e.slackUserId ?? null,
        name: e.name,
        email: e.email ?? null,
        checkedIn: Boolean(e.checkedIn),
        suspendedAt: e.suspendedAt ?? null,
        score: e.score ?? null,
        categoryKeys: categoryKeys.get(e.id) ?? [],
        groupKeys: groupKeys.get(e.id) ?? [],
      }));
    },

    /** Records that these experts were paged at `at` (the tie-break of the paging order). */
    async markPaged(expertIds: readonly number[], at: Date, opts: InTransaction = {}): Promise<void> {
      if (expertIds.length === 0) return;
      await sql.update(Expert, { lastPagedAt: at }, `id IN (${Sql.list(expertIds.length)})`, expertIds, { ...opts, now: at });
    },
  };
}

export type ExpertsRepository = ReturnType<typeof expertsRepository>;
