import type { KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import { EXPERT_LEVEL_NAMES, EXPERT_LEVELS, type ExpertLevel } from '../../domain/experts/expert-levels.ts';
import { SUMMARY_MAX, YEARS_MAX } from '../../domain/experts/apply-as-expert.ts';
import { truncatePlain } from '../../lib/mrkdwn.ts';
import { mrkdwn } from './text.ts';

export const EXPERT_SIGNUP_CALLBACK_ID = 'expert.signup';

/** A modal holds 100 blocks; the form's other fields take 13, so this many categories fit. */
export const SIGNUP_MAX_CATEGORIES = 85;

/** The block id of a category's level select: `categories.<key>`, as the application's error paths name it. */
export const categoryBlockId = (key: string) => `categories.${key}`;

/** The first option of each level select: a level once chosen cannot be cleared in Slack, so "not applying" is an option too. */
export const NOT_APPLYING = 'none';

/** What the form starts with: the applicant's Slack profile, or their pending application. */
export interface SignupPrefill {
  name?: string;
  email?: string;
  phone?: string;
  yearsExperience?: number;
  summary?: string;
  referees?: { name: string; contact: string }[];
  levels?: Record<string, ExpertLevel>;
}

const plain = (text: string) => ({ type: 'plain_text' as const, text });
const levelOption = (level: ExpertLevel): PlainTextOption => ({ text: plain(EXPERT_LEVEL_NAMES[level]), value: level });

function textInput(blockId: string, label: string, opts: { initial?: string; max: number; multiline?: boolean; hint?: string; placeholder?: string }): KnownBlock {
  return {
    type: 'input',
    block_id: blockId,
    label: plain(label),
    ...(opts.hint ? { hint: plain(opts.hint) } : {}),
    element: {
      type: 'plain_text_input',
      action_id: 'value',
      max_length: opts.max,
      ...(opts.multiline ? { multiline: true } : {}),
      ...(opts.placeholder ? { placeholder: plain(opts.placeholder) } : {}),
      ...(opts.initial ? { initial_value: truncatePlain(opts.initial, opts.max) } : {}),
    },
  };
}

/**
 * The `/helpnet join` modal (`expert.signup`). A modal cannot grow fields as someone picks
 * categories, so every active category has its own optional level select: the applicant
 * picks a level in those they want to answer tickets for and leaves the rest empty (or
 * "Not applying"). Block
 * ids are the application's field paths (name, email, …, categories.<key>,
 * referees.0.name), so the use case's errors land on their fields.
 */
export function buildExpertSignupModal(categories: readonly { key: string; name: string }[], prefill: SignupPrefill = {}): ModalView {
  const shown = categories.slice(0, SIGNUP_MAX_CATEGORIES);
  const referee = (i: 0 | 1) => prefill.referees?.[i];
  const blocks: KnownBlock[] = [
    { type: 'context', block_id: 'intro', elements: [mrkdwn('Apply to answer IT tickets as a Helpnet expert. A Helpnet manager assesses your qualifications before any ticket is assigned to you; you will hear the outcome by DM. Sending this again while you wait updates your application.')] },
    textInput('name', 'Your name', { initial: prefill.name, max: 200 }),
    textInput('email', 'Email', { initial: prefill.email, max: 320, placeholder: 'name@example.com' }),
    textInput('phone', 'Phone', { initial: prefill.phone, max: 40, placeholder: '+41 44 123 45 67' }),
    {
      type: 'input',
      block_id: 'yearsExperience',
      label: plain('Years of IT experience'),
      element: { type: 'number_input', action_id: 'value', is_decimal_allowed: false, min_value: '0', max_value: String(YEARS_MAX), ...(prefill.yearsExperience !== undefined ? { initial_value: String(prefill.yearsExperience) } : {}) },
    },
    textInput('summary', 'Short summary', { initial: prefill.summary, max: SUMMARY_MAX, multiline: true, hint: 'What you have worked on, certifications, the systems you know best.' }),
    { type: 'section', block_id: 'categories', text: mrkdwn('*Categories*\nChoose your level in each category you want to answer tickets for, and leave the others empty.') },
    ...shown.map(
      (c): KnownBlock => ({
        type: 'input',
        block_id: categoryBlockId(c.key),
        optional: true,
        label: plain(truncatePlain(c.name, 2000)),
        element: {
          type: 'static_select',
          action_id: 'value',
          placeholder: plain('Not applying'),
          options: [{ text: plain('Not applying'), value: NOT_APPLYING }, ...EXPERT_LEVELS.map(levelOption)],
          ...(prefill.levels?.[c.key] ? { initial_option: levelOption(prefill.levels[c.key]!) } : {}),
        },
      }),
    ),
    ...(categories.length > shown.length
      ? [{ type: 'context', block_id: 'categories.more', elements: [mrkdwn(`Helpnet has ${categories.length} categories and this form shows the first ${shown.length}: for another one, tell the managers after you apply.`)] } satisfies KnownBlock]
      : []),
    textInput('referees.0.name', 'First referee: name', { initial: referee(0)?.name, max: 200 }),
    textInput('referees.0.contact', 'First referee: email or phone', { initial: referee(0)?.contact, max: 320 }),
    textInput('referees.1.name', 'Second referee: name', { initial: referee(1)?.name, max: 200 }),
    textInput('referees.1.contact', 'Second referee: email or phone', { initial: referee(1)?.contact, max: 320 }),
  ];
  return { type: 'modal', callback_id: EXPERT_SIGNUP_CALLBACK_ID, title: plain('Join Helpnet'), submit: plain('Send application'), close: plain('Cancel'), blocks };
}
