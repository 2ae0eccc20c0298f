import { z } from 'zod';
import { toPlainText } from '../../lib/plain-text.ts';
import { escapeMrkdwn } from '../../lib/mrkdwn.ts';
import { WORK, type DomainContext } from '../domain-context.ts';
import type { ExpertApplicationRow } from '../../db/repositories/expert-applications.ts';
import { dm } from './apply-as-expert.ts';
import { refreshHomes } from '../home/refresh-homes.ts';

export const REJECT_REASON_MAX = 1000;

export type DecisionOutcome =
  | { outcome: 'approved'; expertName: string; categories: string[]; groups: string[] }
  | { outcome: 'rejected'; expertName: string }
  | { outcome: 'already'; status: 'approved' | 'rejected'; decidedBy: string | null }
  | { outcome: 'none_ticked' }
  | { outcome: 'invalid_reason'; error: string }
  | { outcome: 'not_manager' }
  | { outcome: 'not_found' };

type DecideContext = Pick<DomainContext, 'db' | 'outbox' | 'now'>;

/** The DM an approved expert gets: what they may take, whether they are paged, and how to step away or come back. */
export function approvalNotice(categories: readonly string[], groups: readonly string[], state: { checkedIn: boolean; suspended: boolean } = { checkedIn: true, suspended: false }): string {
  const list = (names: readonly string[]) => names.map((n) => `*${escapeMrkdwn(n)}*`).join(', ');
  const paged =
    groups.length === 0
      ? 'You are in no expert group yet, so you will not be paged until a manager adds you to one.'
      : state.checkedIn
        ? `You are checked in, so you will be paged for new tickets of ${categories.length === 1 ? 'it' : 'them'} in ${list(groups)}. To step away, use \`/helpnet away\`; \`/helpnet available\` brings you back.`
        : `You are in ${list(groups)} but checked out, as you chose, so you are not paged: use \`/helpnet available\` to be paged, and \`/helpnet away\` to step away again.`;
  const suspended = state.suspended ? ' Your expert status is suspended for now, though: you will not be paged nor book until a manager reinstates you.' : '';
  return `:tada: Welcome to Helpnet! A manager approved you as an expert for ${list(categories)}: you can book tickets of ${categories.length === 1 ? 'this category' : 'these categories'} from now on. ${paged}${suspended}`;
}

/** The DM a rejected applicant gets, with the manager's reason (escaped: it is shown as written). */
export function rejectionNotice(reason: string): string {
  const quoted = escapeMrkdwn(reason)
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
  return `Thank you for applying to be a Helpnet expert. After assessing your qualifications, a Helpnet manager has not approved your application, for this reason:\n${quoted}\nYou are welcome to apply again with \`/helpnet join\`.`;
}

/** Only the Slack users in MANAGER_SLACK_IDS decide applications. */
const isManager = (by: string, managers: readonly string[]) => managers.includes(by);

/**
 * A manager approves an application (the `expert.approve` button) for the categories they
 * ticked, of those applied for, and puts the expert in the groups they chose (by key).
 * `groupKeys` undefined means "as offered": the first tier's group of each applied category,
 * as the managers' message preselects them.
 * One conditional write decides (expertApplications.decide), so a second click or a
 * second manager hears who decided, and nothing changes. The ticked categories' skills
 * are approved; the applied categories not ticked are rejected, so no skill stays
 * `applied` once its application is decided. An expert approved for the first time starts
 * checked in (paged at once if in a group); the managers' message is re-rendered and the
 * expert told by DM.
 */
export async function approveApplication(ctx: DecideContext, input: { applicationId: number; by: string; managerSlackIds: readonly string[]; categoryKeys: readonly string[]; groupKeys?: readonly string[] }): Promise<DecisionOutcome> {
  if (!isManager(input.by, input.managerSlackIds)) return { outcome: 'not_manager' };
  const categories = await ctx.db.routing.categories();
  const tiers = await ctx.db.routing.tiers();
  const ticked = new Set(categories.filter((c) => input.categoryKeys.includes(c.key)).map((c) => c.id));
  const decision = ctx.db.unitOfWork(async (transaction) => {
    const now = ctx.now();
    const w = { transaction, now };
    const { expertApplications: apps } = ctx.db;
    const before = await apps.byId(input.applicationId, { transaction });
    if (!before) return { outcome: 'not_found' } as const;
    if (before.status !== 'pending') return already(before);
    if (!appliedIdsOf(before).some((id) => ticked.has(id))) return { outcome: 'none_ticked' } as const;
    if (!(await apps.decide(before.id, { status: 'approved', by: input.by }, w))) return already((await apps.byId(before.id, { transaction }))!);
    // Read again once decided: the application as it stood when the decision took it (the
    // applicant may have replaced it since the first read).
    const application = (await apps.byId(before.id, { transaction }))!;
    const appliedIds = appliedIdsOf(application);
    const approve = appliedIds.filter((id) => ticked.has(id));
    if (approve.length === 0) throw new NothingTicked();
    const expert = (await ctx.db.experts.byId(application.expertId, { transaction }))!;
    const wasApproved = (await apps.skillsOf(expert.id, { transaction })).some((s) => s.status === 'approved');
    await ctx.db.experts.approveSkills(expert.id, approve, { ...w, by: input.by });
    await apps.rejectApplied(expert.id, appliedIds.filter((id) => !ticked.has(id)), { ...w, by: input.by });
    // The groups offered are those of the applied categories' tiers; anything else sent is ignored.
    const offered = tiers.filter((t) => appliedIds.includes(t.categoryId));
    const chosen = input.groupKeys ? offered.filter((t) => input.groupKeys!.includes(t.group.key)) : firstTiers(offered);
    const groups = [...new Map(chosen.map((t) => [t.group.id, t.group])).values()];
    await apps.join(expert.id, groups.map((g) => g.id), w);
    // A first approval checks the expert in (paged at once); an expert approved before keeps their own choice.
    if (!wasApproved) await ctx.db.experts.setCheckedIn(expert.id, true, w);
    const checkedIn = !wasApproved || Boolean(expert.checkedIn);
    await refreshMessages(ctx, transaction, application);
    const names = categories.filter((c) => approve.includes(c.id)).map((c) => c.name);
    const groupNames = groups.map((g) => g.name);
    await dm(ctx, transaction, now, expert.id, expert.slackUserId ?? null, approvalNotice(names, groupNames, { checkedIn, suspended: Boolean(expert.suspendedAt) }));
    // The new expert's Home turns from the newcomer's into theirs; the managers' loses the application.
    await refreshHomes(ctx, transaction, { experts: [expert.id] });
    await refreshHomes(ctx, transaction, { managers: true });
    return { outcome: 'approved', expertName: expert.name, categories: names, groups: groupNames } as const;
  });
  return decision.catch((err: unknown) => {
    if (err instanceof NothingTicked) return { outcome: 'none_ticked' } as const;
    throw err;
  });
}

/**
 * An operator approved categories for an expert from the command line (approve-expert.ts)
 * while their application waited: the application is decided as approved by the operator,
 * like the Approve button with those categories ticked — the applied ones not approved are
 * rejected, the managers' message shows the decision, and the applicant is told by DM what
 * they may take now (in the groups they already sit in, checked in or not as they are).
 * Nothing waiting: nothing to do.
 */
export async function settlePendingApplication(ctx: DecideContext, transaction: Parameters<typeof ctx.outbox.add>[0], input: { expertId: number; approvedCategoryIds: readonly number[]; by: string }): Promise<boolean> {
  const now = ctx.now();
  const w = { transaction, now };
  const { expertApplications: apps } = ctx.db;
  const pending = await apps.pendingOf(input.expertId, { transaction });
  if (!pending || !(await apps.decide(pending.id, { status: 'approved', by: input.by }, w))) return false;
  const application = (await apps.byId(pending.id, { transaction }))!;
  const approved = new Set(input.approvedCategoryIds);
  await apps.rejectApplied(input.expertId, appliedIdsOf(application).filter((id) => !approved.has(id)), { ...w, by: input.by });
  await refreshMessages(ctx, transaction, application);
  const expert = (await ctx.db.experts.byId(input.expertId, { transaction }))!;
  const names = (await ctx.db.routing.categories({ transaction })).filter((c) => approved.has(c.id)).map((c) => c.name);
  const groupIds = new Set(await apps.groupIdsOf(input.expertId, { transaction }));
  const groupNames = [...new Map((await ctx.db.routing.tiers({ transaction })).filter((t) => groupIds.has(t.group.id)).map((t) => [t.group.id, t.group.name])).values()];
  await dm(ctx, transaction, now, expert.id, expert.slackUserId ?? null, approvalNotice(names, groupNames, { checkedIn: Boolean(expert.checkedIn), suspended: Boolean(expert.suspendedAt) }));
  return true;
}

/** Rolls an approval back when the application, replaced meanwhile, no longer has any ticked category. */
class NothingTicked extends Error {}

const appliedIdsOf = (application: ExpertApplicationRow) => (JSON.parse(application.categories) as { categoryId: number }[]).map((c) => c.categoryId);

const reasonSchema = z
  .string({ error: 'Give a reason: the applicant is told it.' })
  .transform((s) => toPlainText(s).trim())
  .pipe(z.string().min(3, 'Give a reason of a few words: the applicant is told it.').max(REJECT_REASON_MAX, `Please keep the reason under ${REJECT_REASON_MAX} characters.`));

/**
 * A manager rejects an application with a reason (the `expert.reject` button, then its
 * modal). Like approval: managers only, decided once; the applied skills are rejected,
 * the managers' message re-rendered, the applicant told the reason by DM.
 */
export async function rejectApplication(ctx: DecideContext, input: { applicationId: number; by: string; managerSlackIds: readonly string[]; reason: string }): Promise<DecisionOutcome> {
  if (!isManager(input.by, input.managerSlackIds)) return { outcome: 'not_manager' };
  const reason = reasonSchema.safeParse(input.reason);
  if (!reason.success) return { outcome: 'invalid_reason', error: reason.error.issues[0]!.message };
  return ctx.db.unitOfWork(async (transaction) => {
    const now = ctx.now();
    const w = { transaction, now };
    const { expertApplications: apps } = ctx.db;
    if (!(await apps.byId(input.applicationId, { transaction }))) return { outcome: 'not_found' } as const;
    if (!(await apps.decide(input.applicationId, { status: 'rejected', by: input.by, reason: reason.data }, w))) return already((await apps.byId(input.applicationId, { transaction }))!);
    // Read once decided: what the decision took (see approveApplication).
    const application = (await apps.byId(input.applicationId, { transaction }))!;
    const expert = (await ctx.db.experts.byId(application.expertId, { transaction }))!;
    await apps.rejectApplied(expert.id, appliedIdsOf(application), { ...w, by: input.by });
    await refreshMessages(ctx, transaction, application);
    await dm(ctx, transaction, now, expert.id, expert.slackUserId ?? null, rejectionNotice(reason.data));
    await refreshHomes(ctx, transaction, { managers: true });
    return { outcome: 'rejected', expertName: expert.name } as const;
  });
}

/** Whether a manager may still decide: the application exists and waits. Checked before a reject modal opens. */
export async function applicationWaiting(ctx: Pick<DomainContext, 'db'>, input: { applicationId: number; by: string; managerSlackIds: readonly string[] }): Promise<DecisionOutcome | { outcome: 'pending' }> {
  if (!isManager(input.by, input.managerSlackIds)) return { outcome: 'not_manager' };
  const application = await ctx.db.expertApplications.byId(input.applicationId);
  if (!application) return { outcome: 'not_found' };
  return application.status === 'pending' ? { outcome: 'pending' } : already(application);
}

/** Of these tiers, each category's first: the groups an approval preselects. */
export function firstTiers<T extends { categoryId: number; position: number }>(tiers: readonly T[]): T[] {
  const first = new Map<number, T>();
  for (const t of tiers) if (!first.has(t.categoryId) || first.get(t.categoryId)!.position > t.position) first.set(t.categoryId, t);
  return [...first.values()];
}

function already(application: ExpertApplicationRow): DecisionOutcome {
  return { outcome: 'already', status: application.status === 'rejected' ? 'rejected' : 'approved', decidedBy: application.decidedBy ?? null };
}

async function refreshMessages(ctx: DecideContext, transaction: Parameters<typeof ctx.outbox.add>[0], application: ExpertApplicationRow): Promise<void> {
  for (const m of await ctx.db.expertApplications.messagesOf(application, { transaction })) {
    // Re-rendered once posted (a post under way may have rendered the buttons before this commit).
    if (m.status !== 'failed') await ctx.outbox.add(transaction, WORK.slackUpdate, { messageId: m.id });
  }
}
