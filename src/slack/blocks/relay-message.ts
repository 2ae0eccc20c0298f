import type { KnownBlock } from '@slack/types';
import { escapeMrkdwn } from '../../lib/mrkdwn.ts';
import { mrkdwnSection } from './text.ts';

/** Slack's limit for a message's text is 40,000 characters; leave room for the label. */
const TEXT_MAX = 39_000;
const SECTION_MAX = 3000;
/**
 * Up to this much is also shown in verbatim sections. Slack refuses a message whose blocks
 * carry much more text in all (`msg_blocks_too_long`, at about 12,000 characters; the
 * limit is not documented), so a longer message is posted as text only.
 */
const BLOCKS_TEXT_MAX = 9000;

/**
 * A relayed message as a threaded reply: the sender's label in bold, then what they wrote
 * — escaped, so nothing in it becomes a mention or a link. Shown in verbatim sections, so
 * Slack does not turn bare URLs or #channel names in it into links either (cut into
 * sections of at most 3,000 characters); the same text is the message's `text`, which a
 * message too long for blocks is posted as alone.
 */
export function buildRelayMessage(label: string | null, body: string): { text: string; blocks?: KnownBlock[] } {
  const escaped = escapeMrkdwn(body);
  const cut = escaped.length > TEXT_MAX ? `${escaped.slice(0, TEXT_MAX).replace(/&[a-z]*$/, '')}… (cut)` : escaped;
  const text = label ? `*${escapeMrkdwn(label)}:* ${cut}` : cut;
  // A piece of only spaces shows nothing (and Slack refuses an empty section).
  const parts = text.length > BLOCKS_TEXT_MAX ? [] : splitForSections(text, SECTION_MAX).filter((part) => part.trim() !== '');
  return parts.length === 0 ? { text } : { text, blocks: parts.map((part) => mrkdwnSection(part)) };
}

/**
 * Cuts escaped mrkdwn into pieces of at most `max` characters, at a line break or a space
 * near the end when there is one, and never inside an escape (`&amp;`) or a surrogate pair.
 */
export function splitForSections(text: string, max: number): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > max) {
    let at = max;
    const entity = rest.lastIndexOf('&', at - 1);
    if (entity > at - 5 && !rest.slice(entity, at).includes(';')) at = entity;
    if (/[\uD800-\uDBFF]/.test(rest[at - 1]!)) at -= 1;
    const space = Math.max(rest.lastIndexOf('\n', at - 1), rest.lastIndexOf(' ', at - 1));
    if (space > at - 200 && space > 0) at = space + 1;
    parts.push(rest.slice(0, at));
    rest = rest.slice(at);
  }
  if (rest.length > 0) parts.push(rest);
  return parts;
}
