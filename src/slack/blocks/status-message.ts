import type { KnownBlock } from '@slack/types';
import { escapeMrkdwn } from '../../lib/mrkdwn.ts';
import { slackDate } from './ticket-card.ts';
import { mrkdwnSection } from './text.ts';

const STATUS_TEXT: Record<string, string> = {
  open: 'received',
  dispatched: 'waiting for an expert',
  booked: 'an expert is on it',
  close_pending: 'resolved — waiting for your survey',
};

/** `/helpnet status`: the requester's open tickets. */
export function buildStatusMessage(tickets: { publicId: string; categoryName: string; status: string; filedAt: Date }[]): { text: string; blocks: KnownBlock[] } {
  if (tickets.length === 0) {
    const text = 'You have no open tickets. `/helpnet` files a new one.';
    return { text, blocks: [mrkdwnSection(text)] };
  }
  const shown = tickets.slice(0, 40);
  const lines = shown.map((t) => `• *${t.publicId}* · ${escapeMrkdwn(t.categoryName)} · ${STATUS_TEXT[t.status] ?? t.status} · filed ${slackDate(t.filedAt, '{date_short_pretty}')}`);
  if (tickets.length > shown.length) lines.push(`…and ${tickets.length - shown.length} more.`);
  const text = `*Your open tickets*\n${lines.join('\n')}`;
  return { text: `You have ${tickets.length} open ticket${tickets.length === 1 ? '' : 's'}`, blocks: [mrkdwnSection(text.slice(0, 3000))] };
}
