import { Category, ExpertSkill, Group, GroupMembership, RankingSum } from '../../src/db/models/index.ts';
import type { DomainContext } from '../../src/domain/domain-context.ts';
import { recordSurvey, type Standing } from '../../src/domain/ranking/record-survey.ts';
import { reviewStanding, type ReviewOutcome } from '../../src/domain/ranking/review-standing.ts';
import { selectExpertsToPage } from '../../src/domain/dispatch/select-experts-to-page.ts';

export const DAY = 24 * 60 * 60 * 1000;

export const categoryId = async (key: string) => (await Category.findOne({ where: { key }, rejectOnEmpty: true })).id;

/**
 * Counts one survey as closing a ticket does (tickets/close-ticket.ts): the ranking takes
 * it and the expert's standing is reviewed, in one unit of work, at `at`.
 */
export async function countSurvey(
  services: DomainContext,
  survey: { expertId: number; categoryId: number; rating: number; weight?: number; at: Date },
): Promise<{ standing: Standing; review: ReviewOutcome }> {
  const ctx: DomainContext = { ...services, now: () => survey.at };
  return services.db.unitOfWork(async (t) => {
    const standing = await recordSurvey(ctx, t, { expertId: survey.expertId, categoryId: survey.categoryId, rating: survey.rating, weight: survey.weight ?? 1 });
    return { standing, review: await reviewStanding(ctx, t, standing) };
  });
}

/** The experts paging would DM for a category in a group, best first (all of them, not just the top few). */
export async function pagingOrder(services: DomainContext, groupKey: string, categoryKey: string, at = new Date()): Promise<number[]> {
  const group = await Group.findOne({ where: { key: groupKey }, rejectOnEmpty: true });
  const category = await categoryId(categoryKey);
  const ctx: DomainContext = { ...services, now: () => at };
  const page = await services.db.unitOfWork((t) => selectExpertsToPage(ctx, t, { groupId: group.id, categoryId: category, limit: 1000 }));
  return page.map((e) => e.id);
}

/** Makes an expert also pageable in another group and category. */
export async function alsoQualify(expertId: number, groupKey: string, categoryKey: string): Promise<void> {
  const group = await Group.findOne({ where: { key: groupKey }, rejectOnEmpty: true });
  await ExpertSkill.create({ expertId, categoryId: await categoryId(categoryKey), status: 'approved' });
  await GroupMembership.create({ expertId, groupId: group.id });
}

export const sumsOf = (expertId: number, category: number) => RankingSum.findOne({ where: { expertId, categoryId: category }, rejectOnEmpty: true });
