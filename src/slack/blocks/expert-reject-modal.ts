import type { ModalView } from '@slack/types';
import { REJECT_REASON_MAX } from '../../domain/experts/decide-application.ts';
import { escapeAndTruncate } from '../../lib/mrkdwn.ts';
import { mrkdwn } from './text.ts';

export const EXPERT_REJECT_CALLBACK_ID = 'expert.reject_reason';
export const REJECT_REASON_BLOCK_ID = 'reason';

/** The modal a manager's Reject opens: the reason, which the applicant is told. Carries the application's id. */
export function buildRejectModal(a: { applicationId: number; expertName: string }): ModalView {
  return {
    type: 'modal',
    callback_id: EXPERT_REJECT_CALLBACK_ID,
    private_metadata: JSON.stringify({ applicationId: a.applicationId }),
    title: { type: 'plain_text', text: 'Reject application' },
    submit: { type: 'plain_text', text: 'Reject' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      { type: 'section', block_id: 'about', text: mrkdwn(`Reject the application of *${escapeAndTruncate(a.expertName, 600)}*? They are sent the reason as you write it.`) },
      {
        type: 'input',
        block_id: REJECT_REASON_BLOCK_ID,
        label: { type: 'plain_text', text: 'Reason' },
        element: { type: 'plain_text_input', action_id: 'value', multiline: true, max_length: REJECT_REASON_MAX },
      },
    ],
  };
}
