import type { KnownBlock } from '@slack/types';
import { escapeAndTruncate, escapeMrkdwn } from '../../lib/mrkdwn.ts';
import { mrkdwn, mrkdwnSection } from './text.ts';

/** Everything a ticket message shows. Never the customer's identity: the alias stands in. */
export interface TicketCard {
  publicId: string;
  categoryName: string;
  customerAlias: string;
  urgency: 'low' | 'normal' | 'high';
  filedAt: Date;
  status: 'open' | 'dispatched' | 'booked' | 'close_pending' | 'closed' | 'cancelled';
  /** Tier the ticket is at now, of how many, and the group there. */
  tier: number;
  tierCount: number;
  tierGroupName: string;
  /** The tier this message was posted for. */
  postedTier: number;
  /** The ticket was released and posted again since this message: it no longer offers Book. */
  superseded?: boolean;
  escalationExhausted: boolean;
  subject: string | null;
  description: string;
}

export const BOOK_ACTION_ID = 'ticket.book';
/** Room left in a section for the description after the other blocks' text. */
const DESCRIPTION_MAX = 2900;

const URGENCY_LABEL = { low: 'Low', normal: 'Normal', high: ':rotating_light: High' } as const;

/** A Slack date token: rendered in each reader's own time zone, with a plain fallback. */
export function slackDate(date: Date, format = '{date_short_pretty} {time}'): string {
  return `<!date^${Math.floor(date.getTime() / 1000)}^${format}|${date.toISOString()}>`;
}

function statusLine(c: TicketCard): string {
  if (c.superseded && c.status !== 'closed' && c.status !== 'cancelled' && c.status !== 'close_pending') return ':leftwards_arrow_with_hook: *Released* by the expert who had it, and posted again.';
  if (c.status === 'booked') return ':white_check_mark: *Booked* — an expert is on it.';
  if (c.status === 'close_pending' || c.status === 'closed') return ':lock: *Resolved.*';
  if (c.status === 'cancelled') return ':no_entry_sign: *Withdrawn by the customer.*';
  if (c.escalationExhausted) return ':rotating_light: *No one booked it at any tier* — managers were alerted. Still open: the first to press Book takes it.';
  if (c.tier > c.postedTier) return `:arrow_up: *Escalated to tier ${c.tier}* (${escapeMrkdwn(c.tierGroupName)}). Still open here too: the first to press Book takes it.`;
  return ':hourglass_flowing_sand: *Unbooked* — the first qualified expert to press Book takes it.';
}

const bookable = (c: TicketCard) => !c.superseded && (c.status === 'open' || c.status === 'dispatched');

/** The interactive ticket message posted to a group's channel and in pages. */
export function buildTicketCard(c: TicketCard, intro?: string): { text: string; blocks: KnownBlock[] } {
  const heading = `*${c.publicId}* · ${escapeMrkdwn(c.categoryName)} · from *${escapeMrkdwn(c.customerAlias)}*`;
  const blocks: KnownBlock[] = [];
  if (intro) blocks.push(mrkdwnSection(intro));
  blocks.push(
    mrkdwnSection(heading),
    {
      type: 'context',
      elements: [
        mrkdwn(`*Urgency:* ${URGENCY_LABEL[c.urgency]}`),
        mrkdwn(`*Filed:* ${slackDate(c.filedAt, '{ago}')}`),
        mrkdwn(`*Tier:* ${c.postedTier} of ${c.tierCount}`),
      ],
    },
  );
  if (c.subject) blocks.push(mrkdwnSection(`*${escapeAndTruncate(c.subject, 300)}*`));
  blocks.push(mrkdwnSection(escapeAndTruncate(c.description || '(no description)', DESCRIPTION_MAX)));
  blocks.push({ type: 'context', elements: [mrkdwn(statusLine(c))] });
  if (bookable(c)) {
    blocks.push({
      type: 'actions',
      block_id: 'ticket.actions',
      elements: [{ type: 'button', action_id: BOOK_ACTION_ID, text: { type: 'plain_text', text: 'Book' }, style: 'primary', value: c.publicId }],
    });
  }
  return { text: `${c.publicId} · ${c.categoryName} · ${c.status === 'booked' ? 'booked' : 'needs an expert'}`, blocks };
}
