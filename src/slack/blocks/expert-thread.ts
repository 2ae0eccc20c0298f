import type { KnownBlock } from '@slack/types';
import { escapeAndTruncate, escapeMrkdwn } from '../../lib/mrkdwn.ts';
import { mrkdwn, mrkdwnSection } from './text.ts';

export const RESOLVE_ACTION_ID = 'ticket.resolve';
export const RELEASE_ACTION_ID = 'ticket.release';

/** The parent of an expert's thread for one booking, in their DM with the bot. */
export interface ExpertThreadView {
  publicId: string;
  categoryName: string;
  customerAlias: string;
  expertAlias: string;
  subject: string | null;
  description: string;
  /** The customer's contact, only when the category shares it. */
  contact: { email: string | null; phone: string | null } | null;
  state: 'active' | 'released' | 'resolved' | 'closed';
}

const STATE_LINE: Record<ExpertThreadView['state'], string> = {
  active: ':speech_balloon: *Reply in this thread* to write to the customer. Everything you write here is passed on under your alias; mentions and links to channels are removed.',
  released: ':leftwards_arrow_with_hook: *You released this ticket.* Replies here are no longer passed on.',
  resolved: ':lock: *Resolved.* The customer has been asked how it went; they can still reply here until the ticket closes.',
  closed: ':lock: *Closed.* Replies here are no longer passed on.',
};

export function buildExpertThread(v: ExpertThreadView): { text: string; blocks: KnownBlock[] } {
  const blocks: KnownBlock[] = [
    mrkdwnSection(`*${v.publicId}* · ${escapeMrkdwn(v.categoryName)} · from *Customer ${escapeMrkdwn(v.customerAlias)}*\nThe customer knows you as *Expert ${escapeMrkdwn(v.expertAlias)}*.`),
  ];
  if (v.subject) blocks.push(mrkdwnSection(`*${escapeAndTruncate(v.subject, 300)}*`));
  blocks.push(mrkdwnSection(escapeAndTruncate(v.description || '(no description)', 2800)));
  if (v.contact && (v.contact.email || v.contact.phone)) {
    const parts = [v.contact.phone ? `:telephone_receiver: ${escapeMrkdwn(v.contact.phone)}` : '', v.contact.email ? `:email: ${escapeMrkdwn(v.contact.email)}` : ''].filter(Boolean);
    blocks.push({ type: 'context', elements: [mrkdwn(`Customer contact (shared for this category): ${parts.join(' · ')}`)] });
  }
  blocks.push({ type: 'context', elements: [mrkdwn(STATE_LINE[v.state])] });
  if (v.state === 'active') {
    blocks.push({
      type: 'actions',
      block_id: 'ticket.thread',
      elements: [
        { type: 'button', action_id: RESOLVE_ACTION_ID, text: { type: 'plain_text', text: 'Resolve' }, style: 'primary', value: v.publicId },
        {
          type: 'button',
          action_id: RELEASE_ACTION_ID,
          text: { type: 'plain_text', text: 'Release' },
          value: v.publicId,
          confirm: {
            title: { type: 'plain_text', text: 'Release this ticket?' },
            text: { type: 'plain_text', text: 'It goes back to the experts, and the customer gets another expert.' },
            confirm: { type: 'plain_text', text: 'Release' },
            deny: { type: 'plain_text', text: 'Keep it' },
          },
        },
      ],
    });
  }
  return { text: `${v.publicId} · ${v.categoryName} · you have this ticket`, blocks };
}
