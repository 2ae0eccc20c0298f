import { z } from 'zod';
import type { DomainContext } from '../domain-context.ts';

export interface ExpertImportRow {
  /** Line in the file, for error messages. */
  line: number;
  record: Record<string, string | undefined>;
}

export const IMPORT_COLUMNS = ['slack_user_id', 'name', 'email', 'categories', 'groups'] as const;

const list = (cell: string | undefined) => (cell ?? '').split(';').map((s) => s.trim()).filter(Boolean);

const rowSchema = z.object({
  slack_user_id: z.string({ error: 'slack_user_id is required' }).trim().regex(/^[UW][A-Z0-9]{2,}$/, 'slack_user_id must be a Slack user id such as U024BE7LH'),
  name: z.string({ error: 'name is required' }).trim().min(1, 'name is required').max(200, 'name is longer than 200 characters'),
  email: z
    .string()
    .trim()
    .transform((v) => (v === '' ? undefined : v))
    .pipe(z.email('email is not an email address').max(320, 'email is longer than 320 characters').optional())
    .optional(),
  categories: z.string().optional(),
  groups: z.string().optional(),
  checked_in: z
    .string()
    .trim()
    .toLowerCase()
    .refine((v) => ['', 'true', 'yes', '1', 'false', 'no', '0'].includes(v), 'checked_in must be true or false (or empty to leave it)')
    .transform((v) => (v === '' ? undefined : ['true', 'yes', '1'].includes(v)))
    .optional(),
});

export interface ImportResult {
  errors: string[];
  created: number;
  updated: number;
}

/**
 * Creates or updates experts from rows: each listed expert is approved for the listed
 * categories and sits in exactly the listed groups. Every row is checked first; if any is
 * wrong nothing is applied and every problem is reported with its line.
 */
export async function importExperts(ctx: Pick<DomainContext, 'db' | 'now'>, rows: ExpertImportRow[]): Promise<ImportResult> {
  const { Category, Group, Expert, ExpertSkill, GroupMembership } = ctx.db.models;
  const categories = new Map((await Category.findAll()).map((c) => [c.key, c]));
  const groups = new Map((await Group.findAll()).map((g) => [g.key, g]));
  const errors: string[] = [];
  const seen = new Map<string, number>();
  const valid: { slackUserId: string; name: string; email: string | null; checkedIn: boolean | undefined; categoryIds: number[]; groupIds: number[] }[] = [];

  for (const { line, record } of rows) {
    const parsed = rowSchema.safeParse(record);
    if (!parsed.success) for (const issue of parsed.error.issues) errors.push(`line ${line}: ${issue.message}`);
    const categoryKeys = list(record.categories);
    const groupKeys = list(record.groups);
    if (categoryKeys.length === 0) errors.push(`line ${line}: categories is empty (separate several with ;)`);
    for (const k of categoryKeys) if (!categories.has(k)) errors.push(`line ${line}: unknown category "${k}" (known: ${[...categories.keys()].join(', ')})`);
    for (const k of groupKeys) if (!groups.has(k)) errors.push(`line ${line}: unknown group "${k}" (known: ${[...groups.keys()].join(', ')})`);
    if (!parsed.success) continue;
    const r = parsed.data;
    const before = seen.get(r.slack_user_id);
    if (before) errors.push(`line ${line}: ${r.slack_user_id} is already on line ${before}`);
    seen.set(r.slack_user_id, line);
    valid.push({
      slackUserId: r.slack_user_id,
      name: r.name,
      email: r.email ?? null,
      checkedIn: r.checked_in,
      categoryIds: categoryKeys.map((k) => categories.get(k)?.id).filter((id): id is number => id !== undefined),
      groupIds: groupKeys.map((k) => groups.get(k)?.id).filter((id): id is number => id !== undefined),
    });
  }
  if (rows.length === 0) errors.push('the file has no experts');
  if (errors.length > 0) return { errors, created: 0, updated: 0 };

  let created = 0;
  let updated = 0;
  await ctx.db.unitOfWork(async (transaction) => {
    for (const row of valid) {
      let expert = await Expert.findOne({ where: { slackUserId: row.slackUserId }, transaction });
      if (expert) {
        await expert.update({ name: row.name, email: row.email ?? expert.email, checkedIn: row.checkedIn ?? expert.checkedIn }, { transaction });
        updated++;
      } else {
        expert = await Expert.create({ slackUserId: row.slackUserId, name: row.name, email: row.email, checkedIn: row.checkedIn ?? false }, { transaction });
        created++;
      }
      for (const categoryId of row.categoryIds) {
        const skill = await ExpertSkill.findOne({ where: { expertId: expert.id, categoryId }, transaction });
        const approval = { status: 'approved' as const, decidedAt: ctx.now(), decidedBy: 'import' };
        if (!skill) await ExpertSkill.create({ expertId: expert.id, categoryId, ...approval }, { transaction });
        else if (skill.status !== 'approved') await skill.update(approval, { transaction });
      }
      const memberships = await GroupMembership.findAll({ where: { expertId: expert.id }, transaction });
      for (const m of memberships) if (!row.groupIds.includes(m.groupId)) await m.destroy({ transaction });
      for (const groupId of row.groupIds) {
        if (!memberships.some((m) => m.groupId === groupId)) await GroupMembership.create({ expertId: expert.id, groupId }, { transaction });
      }
    }
  });
  return { errors: [], created, updated };
}
