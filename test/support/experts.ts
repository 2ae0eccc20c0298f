import type { CreationAttributes } from 'sequelize';
import type { Expert} from '../../src/db/models/index.ts';
import { Category, ExpertSkill, Group, GroupMembership } from '../../src/db/models/index.ts';
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
  return expert;
}
