import type { DomainContext } from '../domain-context.ts';
import { liftSuspension, OPERATOR_CLI } from '../ranking/reinstate-expert.ts';

/**
 * An operator lifts an expert's suspension (`npm run helpnet -- experts reinstate`): the
 * same as a manager's Reinstate button (the managers' alerts updated, naming
 * "operator (CLI)", and the expert told by DM), without the manager check.
 */
export function reinstateByOperator(ctx: Pick<DomainContext, 'db' | 'outbox' | 'now'>, expertId: number) {
  return liftSuspension(ctx, { expertId, by: OPERATOR_CLI });
}
