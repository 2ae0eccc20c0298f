import type { MrkdwnElement, SectionBlock } from '@slack/types';

/**
 * A mrkdwn text object shown as written (`verbatim`): Slack does not turn bare URLs,
 * #channel names or @names in it into links or mentions. Helpnet's own markup — bold,
 * `<#C…>` links, `<!date…>` — still renders; user text in it is escaped (lib/mrkdwn.ts),
 * so nothing a customer or an expert typed becomes one. Every mrkdwn text Helpnet posts is
 * made here.
 */
export function mrkdwn(text: string): MrkdwnElement {
  return { type: 'mrkdwn', text, verbatim: true };
}

/** A section of one verbatim mrkdwn text. */
export function mrkdwnSection(text: string, blockId?: string): SectionBlock {
  return { type: 'section', ...(blockId ? { block_id: blockId } : {}), text: mrkdwn(text) };
}
