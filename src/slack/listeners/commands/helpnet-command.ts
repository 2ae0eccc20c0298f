import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { buildUsageMessage } from '../../blocks/usage-message.ts';

/** `/helpnet [sub-command]`. Sub-commands this release does not know get the usage help. */
export async function helpnetCommand({ command, ack }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> {
  await ack({ response_type: 'ephemeral', ...buildUsageMessage(command.command) });
}
