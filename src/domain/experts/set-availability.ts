import type { DomainContext } from '../domain-context.ts';

export type AvailabilityOutcome = { outcome: 'not_found' } | { outcome: 'checked_in' | 'checked_out'; changed: boolean; expertName: string; suspended: boolean };

/**
 * Checks an expert in (paged for new tickets of their categories in their groups) or out
 * (not paged; they may still book from the channel). Asking for what already holds
 * changes nothing (`changed: false`). A suspended expert's choice is kept, but they are not
 * paged until reinstated.
 */
export async function setAvailability(ctx: Pick<DomainContext, 'db' | 'now'>, expertId: number, checkedIn: boolean): Promise<AvailabilityOutcome> {
  return ctx.db.unitOfWork(async (transaction) => {
    const expert = await ctx.db.experts.byId(expertId, { transaction });
    if (!expert) return { outcome: 'not_found' } as const;
    const changed = await ctx.db.experts.setCheckedIn(expert.id, checkedIn, { transaction, now: ctx.now() });
    return { outcome: checkedIn ? 'checked_in' : 'checked_out', changed, expertName: expert.name, suspended: expert.suspendedAt !== null && expert.suspendedAt !== undefined } as const;
  });
}
