import type { KnownBlock } from '@slack/types';

/** The content of a Slack message: its text (the notification and fallback) and blocks. */
export interface RenderedMessage {
  text: string;
  blocks?: KnownBlock[];
}
