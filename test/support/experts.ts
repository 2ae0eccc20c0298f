import type { CreationAttributes } from 'sequelize';
import type { Expert} from '../../src/db/models/index.ts';
import { Category, ExpertSkill, Group, GroupMembership, RankingSum } from '../../src/db/models/index.ts';
import { ALL } from '../../src/db/models/ranking-sum.ts';
import type { SkillStatus } from '../../src/db/models/expert-skill.ts';
import { createExpert } from './factories.ts';

/**
 * An expert ready to be paged for `categoryKey` in `groupKey` (approved, checked in, a member),
 * unless the overrides say otherwise.
 */
export async function createQualifiedExpert(
  groupKey: string,
  categoryKey: string,
  over: Partial<CreationAttributes<Expert>> & { skill?: SkillStatus; member?: boolean } = {},
): Promise<Expert> {
  const { skill = 'approved', member = true, ...attrs } = over;
  const expert = await createExpert({ checkedIn: true, ...attrs });
  const group = await Group.findOne({ where: { key: groupKey }, rejectOnEmpty: true });
  const category = await Category.findOne({ where: { key: categoryKey }, rejectOnEmpty: true });
  await ExpertSkill.create({ expertId: expert.id, categoryId: category.id, status: skill });
  if (member) await GroupMembership.create({ expertId: expert.id, groupId: group.id });
  if (typeof attrs.score === 'number') await giveScore(expert.id, attrs.score);
  return expert;
}

/**
 * Gives an expert a ranking score of (very nearly) `score`: a history of surveys at that
 * rating so heavy that the prior does not move it, as if they had answered for years.
 */
export async function giveScore(expertId: number, score: number, categoryId = ALL): Promise<void> {
  const weights = 1e6;
  await RankingSum.create({ expertId, categoryId, weightedRatings: score * weights, weights, decayedAt: new Date(), surveys: 1000 });
}
