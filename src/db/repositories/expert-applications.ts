import type { Attributes } from 'sequelize';
import type { ExpertApplication } from '../models/expert-application.ts';
import type { Models } from '../models/index.ts';
import { Sql } from '../sql.ts';
import type { InTransaction } from './in-transaction.ts';

export type ExpertApplicationRow = Attributes<ExpertApplication>;

/** One category of an application: what was applied for, at the applicant's own level. */
export interface AppliedCategory {
  categoryId: number;
  level: string;
}

/** An expert's standing in one category, as an application needs it. */
export interface SkillStanding {
  categoryId: number;
  status: 'applied' | 'approved' | 'rejected';
  level: string | null;
}

type Write = InTransaction & { now: Date };

/**
 * Applications to answer tickets and what they touch: the applicant's expert row, their
 * skills (`applied` while an application waits, then approved or rejected), the groups an
 * approval adds them to, and the managers' messages about an application.
 */
export function expertApplicationsRepository(sql: Sql, { Expert, ExpertSkill, ExpertApplication, GroupMembership, SlackMessage }: Pick<Models, 'Expert' | 'ExpertSkill' | 'ExpertApplication' | 'GroupMembership' | 'SlackMessage'>) {
  return {
    byId(id: number, opts: InTransaction = {}): Promise<ExpertApplicationRow | undefined> {
      return sql.selectOne(ExpertApplication, 'id = ?', [id], opts);
    },

    /** The expert's application still waiting for a decision, if any (there is at most one). */
    pendingOf(expertId: number, opts: InTransaction = {}): Promise<ExpertApplicationRow | undefined> {
      return sql.selectOne(ExpertApplication, 'pending_expert_id = ?', [expertId], opts);
    },

    /** Records a new pending application; its id. A second pending one for the same expert fails on the unique index. */
    async add(values: { expertId: number; yearsExperience: number; summary: string; referees: string; categories: string; employment?: string | null }, opts: Write): Promise<number> {
      const [id] = await sql.insert(ExpertApplication, [{ ...values, pendingExpertId: values.expertId, status: 'pending' }], opts);
      return id!;
    },

    /** Replaces what a pending application says; false when it was decided meanwhile. */
    async replacePending(id: number, values: { yearsExperience: number; summary: string; referees: string; categories: string; employment?: string | null }, opts: Write): Promise<boolean> {
      return (await sql.update(ExpertApplication, values, "id = ? AND status = 'pending'", [id], opts)) === 1;
    },

    /**
     * Decides a pending application: one conditional write, so of two managers deciding at
     * once exactly one does; false for the other (and for a second click).
     */
    async decide(id: number, decision: { status: 'approved' | 'rejected'; by: string; reason?: string }, opts: Write): Promise<boolean> {
      const values = { status: decision.status, pendingExpertId: null, decidedBy: decision.by, decidedAt: opts.now, rejectReason: decision.reason ?? null };
      return (await sql.update(ExpertApplication, values, "id = ? AND status = 'pending'", [id], opts)) === 1;
    },

    /** The expert with this email (as stored, lower case), or who applied with it from the portal; the earliest if several share it. */
    expertByEmail(email: string, opts: InTransaction = {}) {
      const key = email.toLowerCase();
      return sql.selectOne(Expert, '(LOWER(email) = ? OR applied_email = ?) ORDER BY id', [key, key], opts);
    },

    /**
     * A new expert from an application: checked out, with no skill approved, so neither paged
     * nor able to book. Without a Slack id the email is also their unique `applied_email`: a
     * second applicant with the same new email at the same instant fails on its index.
     */
    async addApplicant(values: { slackUserId: string | null; name: string; email: string; phone: string }, opts: Write): Promise<number> {
      const [id] = await sql.insert(Expert, [{ ...values, appliedEmail: values.slackUserId ? null : values.email.toLowerCase(), checkedIn: false }], opts);
      return id!;
    },

    /** The contact details an application gives, on the expert. */
    async updateContact(expertId: number, values: { name: string; email: string; phone: string; slackUserId?: string }, opts: Write): Promise<void> {
      await sql.update(Expert, values, 'id = ?', [expertId], opts);
    },

    /** The expert's standing in every category they have one in. */
    async skillsOf(expertId: number, opts: InTransaction = {}): Promise<SkillStanding[]> {
      const rows = await sql.query<{ category_id: number; status: SkillStanding['status']; level: string | null }>('SELECT category_id, status, level FROM expert_skills WHERE expert_id = ?', [expertId], opts);
      return rows.map((r) => ({ categoryId: Number(r.category_id), status: r.status, level: r.level }));
    },

    /**
     * Marks these categories applied for, at these levels: a rejected or applied skill is
     * applied again (its earlier decision cleared), a missing one is added. An approved skill
     * is left alone: the caller does not apply for those.
     */
    async markApplied(expertId: number, categories: readonly AppliedCategory[], opts: Write): Promise<void> {
      if (categories.length === 0) return;
      const have = new Set((await this.skillsOf(expertId, opts)).map((s) => s.categoryId));
      for (const c of categories.filter((c) => have.has(c.categoryId))) {
        await sql.update(ExpertSkill, { status: 'applied', level: c.level, decidedAt: null, decidedBy: null }, "expert_id = ? AND category_id = ? AND status <> 'approved'", [expertId, c.categoryId], opts);
      }
      await sql.insert(ExpertSkill, categories.filter((c) => !have.has(c.categoryId)).map((c) => ({ expertId, categoryId: c.categoryId, status: 'applied' as const, level: c.level })), opts);
    },

    /** Forgets categories no longer applied for (their skill still `applied`, never decided). */
    async withdraw(expertId: number, categoryIds: readonly number[], opts: InTransaction = {}): Promise<void> {
      if (categoryIds.length === 0) return;
      await sql.execute(`DELETE FROM expert_skills WHERE expert_id = ? AND status = 'applied' AND category_id IN (${Sql.list(categoryIds.length)})`, [expertId, ...categoryIds], opts);
    },

    /** Rejects the skills of these categories still waiting for a decision; how many. */
    async rejectApplied(expertId: number, categoryIds: readonly number[], opts: Write & { by: string }): Promise<number> {
      if (categoryIds.length === 0) return 0;
      return sql.update(ExpertSkill, { status: 'rejected', decidedAt: opts.now, decidedBy: opts.by }, `expert_id = ? AND status = 'applied' AND category_id IN (${Sql.list(categoryIds.length)})`, [expertId, ...categoryIds], opts);
    },

    /** Puts the expert in these groups (those they are not in yet); how many were added. */
    async join(expertId: number, groupIds: readonly number[], opts: Write): Promise<number> {
      const ids = [...new Set(groupIds)];
      if (ids.length === 0) return 0;
      const rows = await sql.query<{ group_id: number }>(`SELECT group_id FROM group_memberships WHERE expert_id = ? AND group_id IN (${Sql.list(ids.length)})`, [expertId, ...ids], opts);
      const have = new Set(rows.map((r) => Number(r.group_id)));
      const missing = ids.filter((id) => !have.has(id));
      await sql.insert(GroupMembership, missing.map((groupId) => ({ expertId, groupId })), opts);
      return missing.length;
    },

    /** The ids of the groups the expert sits in. */
    async groupIdsOf(expertId: number, opts: InTransaction = {}): Promise<number[]> {
      const rows = await sql.query<{ group_id: number }>('SELECT group_id FROM group_memberships WHERE expert_id = ?', [expertId], opts);
      return rows.map((r) => Number(r.group_id));
    },

    /** The managers' messages about an application (the post, whatever became of it), oldest first. */
    async messagesOf(application: Pick<ExpertApplicationRow, 'id' | 'expertId'>, opts: InTransaction = {}) {
      const rows = await sql.select(SlackMessage, "purpose = 'expert_application' AND expert_id = ? ORDER BY id ASC", [application.expertId], opts);
      return rows.filter((m) => (m.details ? (JSON.parse(m.details) as { applicationId?: unknown }).applicationId === application.id : false));
    },
  };
}

export type ExpertApplicationsRepository = ReturnType<typeof expertApplicationsRepository>;
