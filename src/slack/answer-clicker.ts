import type { KnownBlock } from '@slack/types';
import type { Logger, RespondFn } from '@slack/bolt';

/**
 * Answers the person who pressed a button, and only them, through the interaction's
 * `response_url` (an ephemeral reply; the message they clicked stays as it is).
 *
 * Not chat.postEphemeral: Slack refuses that in a channel the bot is not a member of, and
 * group channels are posted to with chat:write.public, so the bot usually is not.
 * Not awaited: the app runs Bolt with processBeforeResponse, so Slack's HTTP answer to the
 * click waits for the listener — it must not also wait for this call, or a slow Slack
 * makes the click miss its 3 seconds. A failure is logged.
 */
export function answerClicker(
  respond: RespondFn | undefined,
  logger: Logger,
  answer: { text: string; blocks?: KnownBlock[]; threadTs?: string },
): void {
  if (!respond) {
    logger.warn('could not answer a button: the interaction has no response_url');
    return;
  }
  void respond({
    response_type: 'ephemeral',
    replace_original: false,
    text: answer.text,
    ...(answer.blocks ? { blocks: answer.blocks } : {}),
    ...(answer.threadTs ? { thread_ts: answer.threadTs } : {}),
  }).catch((err: unknown) => {
    logger.warn(`could not answer a button: ${String(err)}`);
  });
}
