import type { ModalView } from '@slack/types';
import { truncatePlain } from '../../lib/mrkdwn.ts';
import { mrkdwn } from './text.ts';

export const TICKET_CREATE_CALLBACK_ID = 'ticket.create';
export const DESCRIPTION_MIN = 10;
export const DESCRIPTION_MAX = 4000;

/** The `/helpnet` modal: category, description, urgency. */
export function buildTicketCreateModal(categories: { key: string; name: string }[]): ModalView {
  return {
    type: 'modal',
    callback_id: TICKET_CREATE_CALLBACK_ID,
    title: { type: 'plain_text', text: 'Ask Helpnet' },
    submit: { type: 'plain_text', text: 'File ticket' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'context',
        block_id: 'intro',
        elements: [mrkdwn('An expert qualified for the category takes your ticket and writes to you under an alias. `/helpnet status` lists your open tickets.')],
      },
      {
        type: 'input',
        block_id: 'category',
        label: { type: 'plain_text', text: 'What is it about?' },
        element: {
          type: 'static_select',
          action_id: 'value',
          placeholder: { type: 'plain_text', text: 'Choose a category' },
          // Slack allows 100 options in a select.
          options: categories.slice(0, 100).map((c) => ({ text: { type: 'plain_text', text: truncatePlain(c.name, 75) }, value: c.key })),
        },
      },
      {
        type: 'input',
        block_id: 'description',
        label: { type: 'plain_text', text: 'Describe the problem' },
        hint: { type: 'plain_text', text: 'What happens, since when, what you tried. The expert sees this, not your name.' },
        element: { type: 'plain_text_input', action_id: 'value', multiline: true, min_length: DESCRIPTION_MIN, max_length: DESCRIPTION_MAX },
      },
      {
        type: 'input',
        block_id: 'urgency',
        label: { type: 'plain_text', text: 'How urgent is it?' },
        element: {
          type: 'static_select',
          action_id: 'value',
          initial_option: { text: { type: 'plain_text', text: 'Normal' }, value: 'normal' },
          options: [
            { text: { type: 'plain_text', text: 'Low — when someone has time' }, value: 'low' },
            { text: { type: 'plain_text', text: 'Normal' }, value: 'normal' },
            { text: { type: 'plain_text', text: 'High — I cannot work' }, value: 'high' },
          ],
        },
      },
    ],
  };
}
