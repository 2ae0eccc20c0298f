import type { DomainContext } from '../domain-context.ts';
import { queueSuspensionMessages } from '../ranking/review-standing.ts';

/** The longest reason an operator may give (it is shown in Slack, to the expert and the managers). */
export const SUSPENSION_REASON_MAX = 500;

export type SuspendOutcome = { outcome: 'suspended'; expertName: string } | { outcome: 'already'; expertName: string } | { outcome: 'not_found' } | { outcome: 'bad_reason'; problem: string };

/**
 * An operator suspends an expert, giving why: no longer paged, Book refused, until someone
 * reinstates them. One conditional write decides (experts.suspend), so suspending twice
 * suspends once. As with a suspension by the ranking, the expert is told why by DM and the
 * managers' channel gets the reason with a Reinstate button, in the same unit of work.
 */
export async function suspendExpert(ctx: Pick<DomainContext, 'db' | 'outbox' | 'routing' | 'now'>, input: { expertId: number; reason: string }): Promise<SuspendOutcome> {
  const reason = input.reason.replace(/\s+/g, ' ').trim();
  if (reason === '') return { outcome: 'bad_reason', problem: 'a reason is required' };
  if (reason.length > SUSPENSION_REASON_MAX) return { outcome: 'bad_reason', problem: `the reason holds at most ${SUSPENSION_REASON_MAX} characters` };
  return ctx.db.unitOfWork(async (transaction) => {
    const now = ctx.now();
    const expert = await ctx.db.experts.byId(input.expertId, { transaction });
    if (!expert) return { outcome: 'not_found' } as const;
    if (!(await ctx.db.experts.suspend(expert.id, reason, { transaction, now }))) return { outcome: 'already', expertName: expert.name } as const;
    await queueSuspensionMessages(ctx, transaction, expert, reason, { now, by: 'operator' });
    return { outcome: 'suspended', expertName: expert.name } as const;
  });
}
