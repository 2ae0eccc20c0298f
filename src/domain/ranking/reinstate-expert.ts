import { WORK, type DomainContext } from '../domain-context.ts';
import { refreshHomes } from '../home/refresh-homes.ts';

export type ReinstateOutcome =
  | { outcome: 'reinstated'; expertName: string }
  | { outcome: 'already'; expertName: string }
  | { outcome: 'not_manager' }
  | { outcome: 'not_found' };

/** The DM a reinstated expert gets. */
export const REINSTATED_NOTICE = ':white_check_mark: A Helpnet manager has reinstated you: you will be paged again and may book tickets. Your score is reviewed again after your next surveys.';

/** Who reinstated an expert from the operator commands (`npm run helpnet -- experts reinstate`), as the managers' alert names them. */
export const OPERATOR_CLI = 'operator (CLI)';

type ReinstateContext = Pick<DomainContext, 'db' | 'outbox' | 'now'>;

/**
 * A manager lifts an expert's suspension (the `expert.reinstate` button). Only the Slack
 * users in MANAGER_SLACK_IDS may; anyone else changes nothing. See liftSuspension.
 */
export async function reinstateExpert(ctx: ReinstateContext, input: { expertId: number; by: string; managerSlackIds: readonly string[] }): Promise<ReinstateOutcome> {
  if (!input.managerSlackIds.includes(input.by)) return { outcome: 'not_manager' };
  return liftSuspension(ctx, { expertId: input.expertId, by: input.by });
}

/**
 * Lifts an expert's suspension; `by` is who did, as the managers' alert names them (a
 * manager's Slack user id, or OPERATOR_CLI). One conditional write decides
 * (experts.reinstate), so a second click, or two managers at once, reinstate once: the
 * others hear 'already'. The reinstating unit of work also marks the managers' alerts about
 * the suspension as handled (their button goes, they name who reinstated) and DMs the expert.
 */
export async function liftSuspension(ctx: ReinstateContext, input: { expertId: number; by: string }): Promise<Exclude<ReinstateOutcome, { outcome: 'not_manager' }>> {
  return ctx.db.unitOfWork(async (transaction) => {
    const now = ctx.now();
    const expert = await ctx.db.experts.byId(input.expertId, { transaction });
    if (!expert) return { outcome: 'not_found' } as const;
    if (!(await ctx.db.experts.reinstate(expert.id, { transaction, now }))) return { outcome: 'already', expertName: expert.name } as const;
    for (const alert of await ctx.db.slackMessages.suspensionAlertsOf(expert.id, { transaction })) {
      if (!(await ctx.db.slackMessages.markReinstated(alert, input.by, { transaction, now }))) continue;
      // Re-rendered once posted (a post under way may have rendered the button before this commit).
      if (alert.status !== 'failed') await ctx.outbox.add(transaction, WORK.slackUpdate, { messageId: alert.id });
    }
    if (expert.slackUserId) {
      const [dm] = await ctx.db.slackMessages.add([{ ticketId: null, purpose: 'notice', channel: expert.slackUserId, expertId: expert.id, details: JSON.stringify({ text: REINSTATED_NOTICE }) }], { transaction, now });
      await ctx.outbox.add(transaction, WORK.slackPost, { messageId: dm! });
    }
    await refreshHomes(ctx, transaction, { experts: [expert.id] });
    await refreshHomes(ctx, transaction, { managers: true });
    return { outcome: 'reinstated', expertName: expert.name } as const;
  });
}
