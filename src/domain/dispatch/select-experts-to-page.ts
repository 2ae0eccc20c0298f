import type { Transaction } from 'sequelize';
import type { DomainContext } from '../domain-context.ts';
import { currentScores } from '../ranking/scores.ts';
import { comparePageOrder } from './rules.ts';
import { isWithinWorkingHours, parseWorkingHours } from './working-hours.ts';

/** An expert who may be paged, with what the order and the page need. */
export interface PageableExpert {
  id: number;
  slackUserId: string;
  score: number | null;
  lastPagedAt: Date | null;
}

/**
 * The experts of a group to page for a ticket, best first (by their score in the ticket's
 * category where they have one, see ranking/scores.ts): members of the group, approved
 * for the category, checked in, not suspended, not away on an absence, inside their working
 * hours, with a Slack id, and not among `exclude` (the expert who just handed the ticket back).
 */
export async function selectExpertsToPage(
  ctx: Pick<DomainContext, 'db' | 'now' | 'routing'>,
  transaction: Transaction,
  input: { groupId: number; categoryId: number; limit: number; exclude?: readonly number[] },
): Promise<PageableExpert[]> {
  if (input.limit <= 0) return [];
  const now = ctx.now();
  const experts = await ctx.db.experts.pageableInGroup(input.groupId, input.categoryId, { transaction, now });
  const excluded = new Set(input.exclude ?? []);
  const available = experts.filter((e) => !excluded.has(e.id) && isWithinWorkingHours(parseWorkingHours(e.workingHours), now));
  const scores = await currentScores(ctx, available.map((e) => e.id), { categoryId: input.categoryId, now, transaction });
  return available
    .map((e) => ({ id: e.id, slackUserId: e.slackUserId!, score: scores.get(e.id) ?? null, lastPagedAt: e.lastPagedAt }))
    .sort(comparePageOrder)
    .slice(0, input.limit);
}
