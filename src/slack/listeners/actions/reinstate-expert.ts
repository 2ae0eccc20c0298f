import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { reinstateExpert, type ReinstateOutcome } from '../../../domain/ranking/reinstate-expert.ts';
import { escapeMrkdwn } from '../../../lib/mrkdwn.ts';
import { answerClicker } from '../../answer-clicker.ts';
import { mrkdwnSection } from '../../blocks/text.ts';
import type { SlackContext } from '../../slack-context.ts';
import { refreshClickerHome } from './home-actions.ts';

type Args = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

const REPLIES: { [K in ReinstateOutcome['outcome']]: (o: Extract<ReinstateOutcome, { outcome: K }>) => string } = {
  reinstated: (o) => `:white_check_mark: You reinstated *${escapeMrkdwn(o.expertName)}*: they are paged and may book again, and they have been told.`,
  already: (o) => `*${escapeMrkdwn(o.expertName)}* is already reinstated.`,
  not_manager: () => 'Only Helpnet managers can reinstate an expert. Nothing was changed.',
  not_found: () => 'That expert no longer exists.',
};

/**
 * The managers' Reinstate button (`expert.reinstate`, value = the expert's id), on the
 * alert a suspension posts. Acknowledged at once; only the users in MANAGER_SLACK_IDS may
 * reinstate (the use case checks), and the clicker hears the outcome ephemerally.
 */
export function reinstateExpertAction(services: SlackContext) {
  return async ({ ack, body, action, respond, logger }: Args): Promise<void> => {
    await ack();
    const reply = (text: string) => answerClicker(respond, logger, { text, blocks: [mrkdwnSection(text)] });
    const expertId = /^\d{1,12}$/.test(action.value ?? '') ? Number(action.value) : undefined;
    if (expertId === undefined) return reply(REPLIES.not_found({ outcome: 'not_found' }));
    try {
      const outcome = await reinstateExpert(services, { expertId, by: body.user.id, managerSlackIds: services.managerSlackIds ?? [] });
      reply((REPLIES[outcome.outcome] as (o: ReinstateOutcome) => string)(outcome));
      await refreshClickerHome(services, body, logger);
    } catch (err) {
      logger.error(`reinstating expert ${expertId} failed: ${String(err)}`);
      reply('Something went wrong reinstating this expert. Please press Reinstate again.');
    }
  };
}
