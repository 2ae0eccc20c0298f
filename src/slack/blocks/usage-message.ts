import type { KnownBlock } from '@slack/types';
import { mrkdwnSection } from './text.ts';

/** What an unknown sub-command is answered with (`/helpnet help` opens the ticket modal, which says as much). */
export function buildUsageMessage(command = '/helpnet'): { text: string; blocks: KnownBlock[] } {
  const text = [
    `*Helpnet* — IT help from qualified experts.`,
    `• \`${command}\` or \`${command} help\` — file a new ticket`,
    `• \`${command} status\` — your open tickets`,
    `• \`${command} available\` or \`${command} away\` — experts: be paged for new tickets, or not`,
    `• \`${command} hours\` — experts: your working hours and absences`,
    `• \`${command} join\` — apply to answer tickets as an expert`,
  ].join('\n');
  return { text, blocks: [mrkdwnSection(text)] };
}
