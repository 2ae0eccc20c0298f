import type { Ticket, TicketStatus } from '../../db/models/ticket.ts';
import type { DomainContext } from '../domain-context.ts';
import { customerText } from '../surveys/survey-notices.ts';
import { expertLabel } from './labels.ts';

/**
 * How long after a message is written its transaction may still commit. Message ids come
 * from one counter, so on MariaDB a message can commit after one with a higher id: a reader
 * that moved its cursor past the higher id would never see the lower one. The cursor
 * therefore stays behind every message younger than this, and those are sent again until
 * they are older; the reader shows each id once.
 */
export const LATE_COMMIT_WINDOW_MS = 2 * 60_000;

/** The most messages one read returns; a longer transcript comes in several reads. */
export const TRANSCRIPT_PAGE_SIZE = 500;

/** One message as the customer sees it: the expert by alias, their own words as they wrote them. */
export interface CustomerTranscriptMessage {
  id: number;
  from: 'you' | 'expert' | 'helpnet';
  name: string;
  text: string;
  at: Date;
}

export interface CustomerTranscript {
  status: TicketStatus;
  /** The booked expert's alias label, or null while no expert has the ticket. */
  expert: string | null;
  /** Messages with an id above the cursor asked for, oldest first; some may have been sent before. */
  messages: CustomerTranscriptMessage[];
  /** What to ask for next time: behind any message that may still commit (LATE_COMMIT_WINDOW_MS). */
  cursor: number;
}

/**
 * A ticket's conversation in the customer's view, from just after `after` (a cursor this
 * returned before, or 0 for all of it). For any reader that follows a ticket by polling:
 * the widget's panel and the portal's ticket page.
 */
export async function readCustomerTranscript(ctx: Pick<DomainContext, 'db' | 'now' | 'surveyLinks'>, ticket: Pick<Ticket, 'id' | 'status' | 'expertId'>, after: number): Promise<CustomerTranscript> {
  const from = Number.isSafeInteger(after) && after > 0 ? after : 0;
  const rows = await ctx.db.ticketMessages.ofTicketAfter(ticket.id, from, TRANSCRIPT_PAGE_SIZE);
  const surveys = await ctx.db.surveys.byIds(rows.flatMap((m) => (m.surveyId ? [m.surveyId] : [])));
  const alias = ticket.expertId ? await ctx.db.ticketAliases.currentExpertAlias(ticket.id, ticket.expertId) : undefined;
  const settled = ctx.now().getTime() - LATE_COMMIT_WINDOW_MS;
  let cursor = from;
  for (const m of rows) {
    if (m.createdAt.getTime() > settled) break;
    cursor = m.id;
  }
  return {
    status: ticket.status,
    expert: alias ? expertLabel(alias.name) : null,
    cursor,
    messages: rows.map((m) => ({
      id: m.id,
      from: m.side === 'customer' ? 'you' : m.side === 'expert' ? 'expert' : 'helpnet',
      name: m.side === 'expert' ? expertLabel(m.aliasName ?? '') : m.side === 'system' ? 'Helpnet' : 'You',
      // The customer's own messages as they wrote them, not as the expert got them; a survey
      // notice with its link while the survey waits (see surveys/survey-notices.ts).
      text: m.side === 'customer' ? (m.originalBody ?? m.body) : customerText(m, m.surveyId ? surveys.get(m.surveyId) : undefined, ctx.surveyLinks),
      at: m.createdAt,
    })),
  };
}
