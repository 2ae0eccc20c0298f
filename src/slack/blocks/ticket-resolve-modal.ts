import type { ModalView } from '@slack/types';

export const TICKET_RESOLVE_CALLBACK_ID = 'ticket.resolve';
export const NOTES_MAX = 3000;

/** The Resolve modal: what was wrong and what fixed it (kept with the ticket; the customer gets the survey). */
export function buildTicketResolveModal(publicId: string): ModalView {
  return {
    type: 'modal',
    callback_id: TICKET_RESOLVE_CALLBACK_ID,
    private_metadata: publicId,
    title: { type: 'plain_text', text: `Resolve ${publicId}` },
    submit: { type: 'plain_text', text: 'Resolve' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'input',
        block_id: 'notes',
        label: { type: 'plain_text', text: 'What was wrong, and what fixed it?' },
        hint: { type: 'plain_text', text: 'Kept with the ticket for managers and later experts. The customer is asked how it went.' },
        element: { type: 'plain_text_input', action_id: 'value', multiline: true, min_length: 3, max_length: NOTES_MAX },
      },
    ],
  };
}
