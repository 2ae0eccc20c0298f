import type { KnownBlock } from '@slack/types';

/** What `/helpnet help` (and any unknown sub-command) answers. */
export function buildUsageMessage(command = '/helpnet'): { text: string; blocks: KnownBlock[] } {
  const text = [
    `*Helpnet* — IT help from qualified experts.`,
    `• \`${command}\` — file a new ticket`,
    `• \`${command} status\` — your open tickets`,
    `• \`${command} help\` — this message`,
  ].join('\n');
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}
