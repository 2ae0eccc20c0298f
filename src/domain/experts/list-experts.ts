import type { ExpertOverview } from '../../db/repositories/experts.ts';
import type { DomainContext } from '../domain-context.ts';

export type { ExpertOverview };

/** Every expert with their approved categories and their groups (keys), for operators. */
export function listExperts(ctx: Pick<DomainContext, 'db'>): Promise<ExpertOverview[]> {
  return ctx.db.experts.overview();
}
