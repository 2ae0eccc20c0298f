import type { KnownBlock } from '@slack/types';
import { escapeAndTruncate, escapeMrkdwn } from '../../lib/mrkdwn.ts';
import { mrkdwnSection } from './text.ts';

/** The managers' button that lifts an expert's suspension (value: the expert's id). Stable: posted messages rely on it. */
export const REINSTATE_ACTION_ID = 'expert.reinstate';

/**
 * To the managers' channel: an expert was suspended by the ranking. Until someone
 * reinstates them it carries a Reinstate button; then it says who did. It names the expert
 * (staff) and gives the reason, which is about scores only: no customer is named.
 */
export function buildSuspensionAlert(a: { expertId: number; expertName: string; slackUserId: string | null; reason: string; reinstatedBy: string | null }): { text: string; blocks: KnownBlock[] } {
  const who = a.slackUserId ? `<@${a.slackUserId}> (${escapeMrkdwn(a.expertName)})` : `*${escapeMrkdwn(a.expertName)}*`;
  const reason = escapeAndTruncate(a.reason, 1000);
  if (a.reinstatedBy) {
    // A manager's Slack user id (the button), or the operator commands' own name for themselves.
    const by = /^[UW][A-Z0-9]+$/.test(a.reinstatedBy) ? `<@${a.reinstatedBy}>` : escapeMrkdwn(a.reinstatedBy);
    const text = `:white_check_mark: ${who} was suspended (${reason}). *Reinstated by ${by}*: they are paged and may book again.`;
    return { text: `${a.expertName} was reinstated`, blocks: [mrkdwnSection(text)] };
  }
  const text = `:no_entry: ${who} is suspended: ${reason}. They are no longer paged and cannot book tickets until a manager reinstates them.`;
  return {
    text: `${a.expertName} is suspended`,
    blocks: [
      mrkdwnSection(text),
      { type: 'actions', block_id: 'suspension', elements: [{ type: 'button', action_id: REINSTATE_ACTION_ID, text: { type: 'plain_text', text: 'Reinstate' }, style: 'primary', value: String(a.expertId) }] },
    ],
  };
}
