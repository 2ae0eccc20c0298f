import type { DomainContext } from '../domain-context.ts';
import { refreshHomes } from '../home/refresh-homes.ts';

export type AvailabilityOutcome = { outcome: 'not_found' } | { outcome: 'checked_in' | 'checked_out'; changed: boolean; expertName: string; suspended: boolean };

/**
 * Checks an expert in (paged for new tickets of their categories in their groups) or out
 * (not paged; they may still book from the channel). Asking for what already holds
 * changes nothing (`changed: false`). A suspended expert's choice is kept, but they are not
 * paged until reinstated. Their App Home is republished: at once when asked from it
 * (`homeNow`, which also corrects a Home that showed a stale state), else when changed.
 */
export async function setAvailability(ctx: Pick<DomainContext, 'db' | 'now' | 'outbox'>, expertId: number, checkedIn: boolean, opts: { homeNow?: boolean } = {}): Promise<AvailabilityOutcome> {
  return ctx.db.unitOfWork(async (transaction) => {
    const expert = await ctx.db.experts.byId(expertId, { transaction });
    if (!expert) return { outcome: 'not_found' } as const;
    const changed = await ctx.db.experts.setCheckedIn(expert.id, checkedIn, { transaction, now: ctx.now() });
    if (changed || opts.homeNow) await refreshHomes(ctx, transaction, { experts: [expert.id] }, { now: opts.homeNow });
    return { outcome: checkedIn ? 'checked_in' : 'checked_out', changed, expertName: expert.name, suspended: expert.suspendedAt !== null && expert.suspendedAt !== undefined } as const;
  });
}
