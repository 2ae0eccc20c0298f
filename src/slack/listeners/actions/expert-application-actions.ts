import type { AllMiddlewareArgs, BlockAction, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import { applicationWaiting, approveApplication, type DecisionOutcome } from '../../../domain/experts/decide-application.ts';
import { escapeMrkdwn } from '../../../lib/mrkdwn.ts';
import { answerClicker } from '../../answer-clicker.ts';
import { CATEGORIES_ACTION_PREFIX, CATEGORIES_BLOCK_ID, deciderMention, GROUPS_ACTION_ID, GROUPS_BLOCK_ID } from '../../blocks/expert-application.ts';
import { buildRejectModal } from '../../blocks/expert-reject-modal.ts';
import { mrkdwnSection } from '../../blocks/text.ts';
import type { SlackContext } from '../../slack-context.ts';

type Args = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

/** What a manager (or anyone else) is told after pressing Approve or Reject. */
export function decisionReply(o: DecisionOutcome): string {
  switch (o.outcome) {
    case 'approved':
      return `:white_check_mark: You approved *${escapeMrkdwn(o.expertName)}* for ${o.categories.map(escapeMrkdwn).join(', ')}${o.groups.length > 0 ? `, paged in ${o.groups.map(escapeMrkdwn).join(', ')}` : ', in no group (they can book but are not paged)'}. They have been told.`;
    case 'rejected':
      return `You rejected the application of *${escapeMrkdwn(o.expertName)}*. They have been told the reason.`;
    case 'already':
      return `This application was already ${o.status} by ${deciderMention(o.decidedBy)}. Nothing was changed.`;
    case 'none_ticked':
      return 'Tick at least one category to approve — or press Reject. Nothing was changed.';
    case 'invalid_reason':
      return o.error;
    case 'not_manager':
      return 'Only Helpnet managers can approve or reject expert applications. Nothing was changed.';
    case 'not_found':
      return 'That application no longer exists.';
  }
}

/** The state of the application message's inputs, as Slack sends it with a click (`state.values`). */
const stateSchema = z
  .object({
    values: z.record(
      z.string(),
      z.record(z.string(), z.object({ type: z.string(), selected_options: z.array(z.object({ value: z.string().max(150) }).loose()).max(250).nullish() }).loose()),
    ),
  })
  .loose();

const applicationIdOf = (value: string | undefined) => (/^\d{1,12}$/.test(value ?? '') ? Number(value) : undefined);

/**
 * What the manager ticked and chose: the categories' keys (every checkboxes element of the
 * categories block) and the groups' keys, or undefined for the groups when Slack sent no
 * state for that select (it was not touched: the preselected groups stand).
 */
export function readApplicationState(state: unknown): { categoryKeys: string[]; groupKeys: string[] | undefined } | undefined {
  const parsed = stateSchema.safeParse(state ?? { values: {} });
  if (!parsed.success) return undefined;
  const categories = parsed.data.values[CATEGORIES_BLOCK_ID] ?? {};
  const categoryKeys = Object.entries(categories)
    .filter(([id]) => id.startsWith(CATEGORIES_ACTION_PREFIX))
    .flatMap(([, el]) => (el.selected_options ?? []).map((o) => o.value));
  const groups = parsed.data.values[GROUPS_BLOCK_ID]?.[GROUPS_ACTION_ID];
  return { categoryKeys, groupKeys: groups ? (groups.selected_options ?? []).map((o) => o.value) : undefined };
}

/**
 * Approve (`expert.approve`, value = the application's id) on the managers' message:
 * acknowledged at once; the ticked categories and chosen groups are read from the
 * message's state; only managers may (the use case checks). The clicker hears the outcome
 * ephemerally; the message itself is updated by the slack.update job.
 */
export function approveApplicationAction(services: SlackContext) {
  return async ({ ack, body, action, respond, logger }: Args): Promise<void> => {
    await ack();
    const reply = (text: string) => answerClicker(respond, logger, { text, blocks: [mrkdwnSection(text)] });
    const applicationId = applicationIdOf(action.value);
    if (applicationId === undefined) return reply(decisionReply({ outcome: 'not_found' }));
    const managerSlackIds = services.managerSlackIds ?? [];
    if (!managerSlackIds.includes(body.user.id)) return reply(decisionReply({ outcome: 'not_manager' }));
    const state = readApplicationState((body as BlockAction).state);
    if (!state) return reply('Slack sent the ticked categories in a shape Helpnet does not know. Nothing was changed.');
    try {
      reply(decisionReply(await approveApplication(services, { applicationId, by: body.user.id, managerSlackIds, ...state })));
    } catch (err) {
      logger.error(`approving application ${applicationId} failed: ${String(err)}`);
      reply('Something went wrong approving this application. Please press Approve again.');
    }
  };
}

/**
 * Reject (`expert.reject`, value = the application's id): a manager gets the reason modal
 * (see views/expert-reject.ts); anyone else, or a click after the decision, an ephemeral
 * answer, and nothing changes.
 */
export function rejectApplicationAction(services: SlackContext) {
  return async ({ ack, body, action, respond, client, logger }: Args): Promise<void> => {
    await ack();
    const reply = (text: string) => answerClicker(respond, logger, { text, blocks: [mrkdwnSection(text)] });
    const applicationId = applicationIdOf(action.value);
    if (applicationId === undefined) return reply(decisionReply({ outcome: 'not_found' }));
    try {
      const waiting = await applicationWaiting(services, { applicationId, by: body.user.id, managerSlackIds: services.managerSlackIds ?? [] });
      if (waiting.outcome !== 'pending') return reply(decisionReply(waiting));
      const application = (await services.db.expertApplications.byId(applicationId))!;
      const expert = await services.db.experts.byId(application.expertId);
      await client.views.open({ trigger_id: body.trigger_id, view: buildRejectModal({ applicationId, expertName: expert?.name ?? 'this applicant' }) });
    } catch (err) {
      logger.error(`opening the reject form of application ${applicationId} failed: ${String(err)}`);
      reply('Something went wrong opening the reject form. Please press Reject again.');
    }
  };
}

/** Ticking a category or choosing groups on the managers' message sends a click too: acknowledged, nothing to do until Approve. */
export async function acknowledgeApplicationInput({ ack }: SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs): Promise<void> {
  await ack();
}
