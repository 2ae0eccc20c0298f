import { escapeMrkdwn } from '../../lib/mrkdwn.ts';

/** Slack's limit for a message's text is 40,000 characters; leave room for the label. */
const TEXT_MAX = 39_000;

/**
 * A relayed message as a threaded reply: the sender's label in bold, then what they wrote
 * as plain text — escaped, so nothing in it becomes a mention or a link. Posted as `text`
 * (not blocks) so long messages are not cut at a section's 3,000 characters.
 */
export function buildRelayMessage(label: string | null, body: string): { text: string } {
  const escaped = escapeMrkdwn(body);
  const text = escaped.length > TEXT_MAX ? `${escaped.slice(0, TEXT_MAX).replace(/&[a-z]*$/, '')}… (cut)` : escaped;
  return { text: label ? `*${escapeMrkdwn(label)}:* ${text}` : text };
}
