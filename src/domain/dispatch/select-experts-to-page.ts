import type { Transaction } from 'sequelize';
import type { Expert } from '../../db/models/expert.ts';
import type { DomainContext } from '../domain-context.ts';
import { comparePageOrder } from './rules.ts';
import { isWithinWorkingHours, parseWorkingHours } from './working-hours.ts';

/**
 * The experts of a group to page for a ticket, best first: members of the group, approved
 * for the category, checked in, not suspended, inside their working hours, with a Slack id.
 */
export async function selectExpertsToPage(
  ctx: Pick<DomainContext, 'db' | 'now'>,
  transaction: Transaction,
  input: { groupId: number; categoryId: number; limit: number },
): Promise<Expert[]> {
  if (input.limit <= 0) return [];
  const { Expert, ExpertSkill, GroupMembership } = ctx.db.models;
  const memberIds = (await GroupMembership.findAll({ where: { groupId: input.groupId }, attributes: ['expertId'], transaction })).map((m) => m.expertId);
  if (memberIds.length === 0) return [];
  const approvedIds = (
    await ExpertSkill.findAll({ where: { categoryId: input.categoryId, status: 'approved', expertId: memberIds }, attributes: ['expertId'], transaction })
  ).map((s) => s.expertId);
  if (approvedIds.length === 0) return [];
  const now = ctx.now();
  const experts = await Expert.findAll({ where: { id: approvedIds, checkedIn: true, suspendedAt: null }, transaction });
  return experts
    .filter((e) => e.slackUserId && isWithinWorkingHours(parseWorkingHours(e.workingHours), now))
    .sort(comparePageOrder)
    .slice(0, input.limit);
}
