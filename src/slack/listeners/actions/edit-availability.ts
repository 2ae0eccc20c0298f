import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { answerClicker } from '../../answer-clicker.ts';
import { buildNoticeModal } from '../../blocks/availability-modal.ts';
import { mrkdwnSection } from '../../blocks/text.ts';
import { NOT_APPROVED_ANSWER, openAvailabilityModal } from '../../open-availability-modal.ts';
import type { SlackContext } from '../../slack-context.ts';

type Args = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

/**
 * The App Home's "Working hours and absences" button (`expert.edit_availability`): opens the
 * availability modal for an approved expert. Anyone else is told, privately: through the
 * click's response_url where it has one (a message), else — the App Home has none — in a
 * small modal of its own.
 */
export function editAvailabilityAction(services: SlackContext) {
  return async ({ ack, body, client, respond, logger }: Args): Promise<void> => {
    await ack();
    const tell = async (text: string) => {
      if (body.response_url) answerClicker(respond, logger, { text, blocks: [mrkdwnSection(text)] });
      else await client.views.open({ trigger_id: body.trigger_id, view: buildNoticeModal('Working hours', text) });
    };
    try {
      const outcome = await openAvailabilityModal(services, client, { userId: body.user.id, triggerId: body.trigger_id });
      if (outcome === 'not_approved') await tell(NOT_APPROVED_ANSWER('/helpnet'));
    } catch (err) {
      logger.error(`opening the availability modal for ${body.user.id} failed: ${String(err)}`);
      await tell('Something went wrong opening your working hours. Please try again in a moment.').catch((e: unknown) => logger.error(String(e)));
    }
  };
}
