import type { DomainContext } from '../domain-context.ts';
import { OPERATOR_CLI } from '../ranking/reinstate-expert.ts';
import { refreshHomes } from '../home/refresh-homes.ts';
import { settlePendingApplication } from './decide-application.ts';

export type ApproveOutcome =
  | { outcome: 'approved'; expertName: string; newlyApproved: number }
  | { outcome: 'not_found' }
  | { outcome: 'unknown_categories'; unknown: string[]; known: string[] };

/**
 * Approves an expert's skill for these categories (by key), whatever their standing was
 * (applied, rejected, or none): they may book tickets of those categories, and are paged for
 * them in the groups they sit in. An unknown category refuses the whole request, naming it.
 * A pending application of theirs is decided with it (decide-application.ts).
 */
export async function approveExpert(ctx: Pick<DomainContext, 'db' | 'now' | 'outbox'>, input: { expertId: number; categoryKeys: readonly string[]; by?: string }): Promise<ApproveOutcome> {
  const categories = new Map((await ctx.db.routing.categories()).map((c) => [c.key, c.id]));
  const unknown = input.categoryKeys.filter((k) => !categories.has(k));
  if (unknown.length > 0 || input.categoryKeys.length === 0) return { outcome: 'unknown_categories', unknown, known: [...categories.keys()].sort() };
  return ctx.db.unitOfWork(async (transaction) => {
    const expert = await ctx.db.experts.byId(input.expertId, { transaction });
    if (!expert) return { outcome: 'not_found' } as const;
    const categoryIds = input.categoryKeys.map((k) => categories.get(k)!);
    const by = input.by ?? OPERATOR_CLI;
    const newlyApproved = await ctx.db.experts.approveSkills(expert.id, categoryIds, { transaction, now: ctx.now(), by });
    // An application waiting for the managers is decided by this approval too.
    await settlePendingApplication(ctx, transaction, { expertId: expert.id, approvedCategoryIds: categoryIds, by });
    // Their Home becomes an expert's; the managers' lists (applications, leaderboard) change.
    await refreshHomes(ctx, transaction, { experts: [expert.id] });
    await refreshHomes(ctx, transaction, { managers: true });
    return { outcome: 'approved', expertName: expert.name, newlyApproved } as const;
  });
}
