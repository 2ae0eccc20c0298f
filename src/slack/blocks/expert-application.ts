import type { ActionsBlock, KnownBlock, PlainTextOption } from '@slack/types';
import { levelName } from '../../domain/experts/expert-levels.ts';
import { escapeAndTruncate, escapeMrkdwn, truncatePlain } from '../../lib/mrkdwn.ts';
import { mrkdwn, mrkdwnSection } from './text.ts';

/** The managers' buttons and inputs on an application (button values: the application's id). Stable: posted messages rely on them. */
export const APPROVE_ACTION_ID = 'expert.approve';
export const REJECT_ACTION_ID = 'expert.reject';
/** The checkboxes of the applied categories, ten to an element (Slack's limit): `expert.application.categories.<n>`. */
export const CATEGORIES_BLOCK_ID = 'application.categories';
export const CATEGORIES_ACTION_PREFIX = 'expert.application.categories';
/** At most this many checkboxes elements (of ten categories each) on one message. */
export const MAX_CATEGORY_CHECKBOXES = 20;
export const CATEGORY_ACTION_IDS = Array.from({ length: MAX_CATEGORY_CHECKBOXES }, (_, i) => `${CATEGORIES_ACTION_PREFIX}.${i}`);
export const GROUPS_BLOCK_ID = 'application.groups';
export const GROUPS_ACTION_ID = 'expert.application.groups';

/** An application as the managers see it. */
export interface ApplicationView {
  applicationId: number;
  expertName: string;
  slackUserId: string | null;
  email: string | null;
  phone: string | null;
  yearsExperience: number;
  summary: string;
  referees: { name: string; contact: string }[];
  /** The employment history, when the application gave one (the portal's wizard). */
  employment: { employer: string; role: string; from: string; to: string | null; description: string }[];
  categories: { key: string; name: string; level: string | null; approved: boolean }[];
  /** The groups of the applied categories' tiers; `preselected` for each category's first tier. */
  groups: { key: string; name: string; preselected: boolean }[];
  status: 'pending' | 'approved' | 'rejected';
  decidedBy: string | null;
  rejectReason: string | null;
  /** The groups the expert is in now (shown once approved). */
  memberOf: string[];
}

const plain = (text: string) => ({ type: 'plain_text' as const, text });
const option = (text: string, value: string): PlainTextOption => ({ text: plain(truncatePlain(text, 75)), value });

/** Who decided: a manager's Slack user id as a mention (names are fine in the managers' channel), anything else escaped. */
export const deciderMention = (by: string | null) => (by && /^[UW][A-Z0-9]+$/.test(by) ? `<@${by}>` : escapeMrkdwn(by ?? 'someone'));

/**
 * To the managers' channel: an application, with a checkbox per applied category, the
 * groups to page the expert in (first tiers preselected) and Approve / Reject. Once decided
 * the inputs go and it says what was decided and by whom. Every text from the applicant
 * is escaped and cut to Slack's limits.
 */
export function buildApplicationMessage(a: ApplicationView): { text: string; blocks: KnownBlock[] } {
  const who = a.slackUserId ? `<@${a.slackUserId}> (${escapeAndTruncate(a.expertName, 600)})` : `*${escapeAndTruncate(a.expertName, 600)}*`;
  // Each line's share of a section's 3,000 characters: two referees get what they always had, more share it.
  const perReferee = Math.floor(2400 / Math.max(2, a.referees.length));
  const referees = a.referees.map((r) => `• ${escapeAndTruncate(r.name, Math.floor(perReferee / 3))} — ${escapeAndTruncate(r.contact, Math.floor((perReferee * 2) / 3))}`).join('\n');
  const perJob = Math.floor(2800 / Math.max(1, a.employment.length)) - 20;
  const employment = a.employment
    .map((j) => `• ${escapeAndTruncate(`${j.role}, ${j.employer} (${j.from} – ${j.to ?? 'now'})`, Math.floor(perJob / 3))}${j.description ? `: ${escapeAndTruncate(j.description, Math.floor((perJob * 2) / 3))}` : ''}`)
    .join('\n');
  const blocks: KnownBlock[] = [
    mrkdwnSection(`:raising_hand: *Expert application* from ${who}`, 'application.head'),
    {
      type: 'section',
      block_id: 'application.contact',
      fields: [mrkdwn(`*Email*\n${escapeAndTruncate(a.email ?? '—', 1800)}`), mrkdwn(`*Phone*\n${escapeAndTruncate(a.phone ?? '—', 1800)}`), mrkdwn(`*Years of experience*\n${a.yearsExperience}`)],
    },
    mrkdwnSection(`*Summary*\n${escapeAndTruncate(a.summary, 2800) || '—'}`, 'application.summary'),
    mrkdwnSection(`*Referees*\n${referees || '—'}`, 'application.referees'),
  ];
  if (employment) blocks.push(mrkdwnSection(`*Employment*\n${employment}`, 'application.employment'));
  const applied = a.categories.map((c) => `${escapeMrkdwn(c.name)} (${levelName(c.level)})`).join(', ');
  if (a.status === 'pending') {
    blocks.push(mrkdwnSection(`*Categories applied for* — tick those to approve:`, 'application.categories.head'));
    const chunks: ActionsBlock['elements'] = [];
    for (let i = 0; i < a.categories.length && chunks.length < MAX_CATEGORY_CHECKBOXES; i += 10) {
      chunks.push({ type: 'checkboxes', action_id: `${CATEGORIES_ACTION_PREFIX}.${i / 10}`, options: a.categories.slice(i, i + 10).map((c) => option(`${c.name} — ${levelName(c.level)}`, c.key)) });
    }
    if (chunks.length > 0) blocks.push({ type: 'actions', block_id: CATEGORIES_BLOCK_ID, elements: chunks });
    const offered = a.groups.slice(0, 100);
    if (offered.length > 0) {
      const preselected = offered.filter((g) => g.preselected).map((g) => option(g.name, g.key));
      blocks.push(mrkdwnSection('*Page them in* (the groups of these categories; first tiers preselected):', 'application.groups.head'));
      blocks.push({ type: 'actions', block_id: GROUPS_BLOCK_ID, elements: [{ type: 'multi_static_select', action_id: GROUPS_ACTION_ID, placeholder: plain('Groups'), options: offered.map((g) => option(g.name, g.key)), ...(preselected.length > 0 ? { initial_options: preselected } : {}) }] });
    }
    blocks.push({
      type: 'actions',
      block_id: 'application.decision',
      elements: [
        { type: 'button', action_id: APPROVE_ACTION_ID, text: plain('Approve'), style: 'primary', value: String(a.applicationId) },
        { type: 'button', action_id: REJECT_ACTION_ID, text: plain('Reject'), style: 'danger', value: String(a.applicationId) },
      ],
    });
    return { text: `Expert application from ${escapeAndTruncate(a.expertName, 200)}`, blocks };
  }
  const by = deciderMention(a.decidedBy);
  if (a.status === 'approved') {
    const approved = a.categories.filter((c) => c.approved).map((c) => escapeMrkdwn(c.name));
    const groups = a.memberOf.length > 0 ? `in ${a.memberOf.map((g) => escapeMrkdwn(g)).join(', ')}` : 'in no group yet (not paged)';
    blocks.push(mrkdwnSection(`Applied for: ${applied || '—'}`, 'application.applied'));
    blocks.push(mrkdwnSection(`:white_check_mark: *Approved by ${by}* for ${approved.join(', ') || '—'}; ${groups}.`, 'application.decided'));
  } else {
    blocks.push(mrkdwnSection(`Applied for: ${applied || '—'}`, 'application.applied'));
    blocks.push(mrkdwnSection(`:x: *Rejected by ${by}*: ${escapeAndTruncate(a.rejectReason ?? '', 1500)}`, 'application.decided'));
  }
  return { text: `Expert application from ${escapeAndTruncate(a.expertName, 200)}: ${a.status}`, blocks };
}
