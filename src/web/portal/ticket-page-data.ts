import type { TicketStatus } from '../../db/models/ticket.ts';
import type { CustomerTranscript } from '../../domain/relay/read-transcript.ts';
import type { CustomerTicket } from '../../domain/tickets/customer-tickets.ts';

/** A ticket's status in the customer's words (the ticket page's script has the same table). */
export const STATUS_WORDS: Record<TicketStatus, string> = {
  open: 'Waiting for an expert to take it',
  dispatched: 'Waiting for an expert to take it',
  booked: 'An expert is working on it',
  close_pending: 'Resolved: please tell us how it went',
  closed: 'Closed',
  cancelled: 'Withdrawn by you',
};

/**
 * The status in words, where the customer reads it. With Slack off (`expertsConnected`
 * false) no expert can see a ticket yet: one waiting for an expert says it is stored.
 */
export function statusWords(status: TicketStatus, expertsConnected: boolean): string {
  return !expertsConnected && (status === 'open' || status === 'dispatched') ? 'Stored: our experts are not connected yet; it goes to them as soon as they are' : STATUS_WORDS[status];
}

/** The reply box as shown again: what was typed and why it was not sent, or a notice after sending. */
export interface ReplyBox {
  value?: string;
  error?: string;
  submission?: string;
  notice?: string | undefined;
}

const TIME_FORMAT = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

/** A time as the pages show it: "3 Dec 2026, 19:05 UTC" (the script writes new ones the same way). */
export const formatTime = (at: Date): string => `${TIME_FORMAT.format(at)} UTC`;

/** The ticket page's data: every value is text the view escapes. */
export function ticketPageData(ticket: CustomerTicket, transcript: CustomerTranscript, reply: ReplyBox, expertsConnected: boolean) {
  const surveyPath = ticket.surveyUrl ? new URL(ticket.surveyUrl).pathname : null;
  const errorList = reply.error ? [{ target: 'reply-text', message: reply.error }] : [];
  return {
    title: `Ticket ${ticket.publicId}`,
    ticket: {
      publicId: ticket.publicId,
      status: ticket.status,
      statusText: statusWords(ticket.status, expertsConnected),
      categoryName: ticket.categoryName,
      description: ticket.description,
      filedIso: ticket.filedAt.toISOString(),
      filedText: formatTime(ticket.filedAt),
    },
    expert: transcript.expert ?? ticket.expert,
    surveyHref: surveyPath,
    canReply: ['open', 'dispatched', 'booked', 'close_pending'].includes(ticket.status),
    canCancel: ticket.status === 'open' || ticket.status === 'dispatched',
    messages: transcript.messages.map((m) => ({ id: m.id, from: m.from, name: m.name, text: m.text, atIso: m.at.toISOString(), atText: formatTime(m.at) })),
    cursor: transcript.cursor,
    reply: { value: reply.value ?? '', error: reply.error },
    notice: reply.notice,
    errorList,
    hasErrors: errorList.length > 0,
  };
}
