import type { AllMiddlewareArgs, SlackViewMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import { rejectApplication } from '../../../domain/experts/decide-application.ts';
import { REJECT_REASON_BLOCK_ID } from '../../blocks/expert-reject-modal.ts';
import type { SlackContext } from '../../slack-context.ts';
import { decisionReply } from '../actions/expert-application-actions.ts';

type Args = SlackViewMiddlewareArgs & AllMiddlewareArgs;

const metadataSchema = z.object({ applicationId: z.number().int().positive() });
const stateSchema = z.object({ [REJECT_REASON_BLOCK_ID]: z.object({ value: z.object({ value: z.string().nullish() }).loose() }).loose() }).loose();

/**
 * The Reject modal was submitted: the manager's reason rejects the application (managers
 * only, once). Anything that stops it — not a manager, decided meanwhile, a reason too
 * short — is shown on the reason field and nothing changes.
 */
export function expertRejectSubmission(services: SlackContext) {
  return async ({ ack, view, body, logger }: Args): Promise<void> => {
    const fail = (message: string) => ack({ response_action: 'errors', errors: { [REJECT_REASON_BLOCK_ID]: message } });
    let metadata: unknown;
    try {
      metadata = JSON.parse(view.private_metadata || 'null');
    } catch {
      metadata = null;
    }
    const meta = metadataSchema.safeParse(metadata);
    const state = stateSchema.safeParse(view.state.values);
    if (!meta.success || !state.success) return void (await fail('This form does not say which application it is about. Close it and press Reject again.'));
    try {
      const outcome = await rejectApplication(services, { applicationId: meta.data.applicationId, by: body.user.id, managerSlackIds: services.managerSlackIds ?? [], reason: state.data[REJECT_REASON_BLOCK_ID].value.value ?? '' });
      if (outcome.outcome === 'rejected') return void (await ack());
      await fail(outcome.outcome === 'invalid_reason' ? outcome.error : decisionReply(outcome));
    } catch (err) {
      logger.error(`rejecting application ${meta.data.applicationId} failed: ${String(err)}`);
      await fail('Something went wrong rejecting this application. Please press Reject again.');
    }
  };
}
