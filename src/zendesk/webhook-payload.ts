import { createHash } from 'node:crypto';
import { z } from 'zod';

/** Zendesk's id of one delivery: the same on every retry of it, new for every trigger run. */
export const INVOCATION_HEADER = 'x-zendesk-webhook-invocation-id';

/** A Zendesk ticket id, as a number or its digits: a positive safe integer, never rounded (a 30-digit id is refused, not turned into 1.2e+29). */
const ticketId = z
  .union([z.number(), z.string().regex(/^\d{1,16}$/, 'expected the ticket id as digits').transform(Number)])
  .refine((id) => Number.isSafeInteger(id) && id > 0, 'expected the ticket id as a positive whole number of at most 15 digits');

/** The body of the Helpnet trigger documented in docs/zendesk.md. */
const triggerPayload = z.object({
  ticket: z.looseObject({ id: ticketId }),
});

const EVENT_TYPE = 'zen:event-type:';
const TICKET_EVENT_TYPE = `${EVENT_TYPE}ticket.`;

/** Any Zendesk event webhook: only ticket events are read, the others are ignored. */
const anyEvent = z.looseObject({ type: z.string().startsWith(EVENT_TYPE) });

/** A Zendesk ticket event webhook (`zen:event-type:ticket.*`): `detail.id` is the ticket's id. */
const ticketEvent = z.looseObject({
  id: z.string().min(1),
  type: z.string().startsWith(TICKET_EVENT_TYPE),
  detail: z.looseObject({ id: ticketId }),
});

export interface ZendeskDelivery {
  ticketId: number;
  /** `ticket.created`, `ticket.comment_added`, … or `trigger` for the trigger payload. */
  kind: string;
  /** The event's own id, for an event webhook. */
  eventId?: string;
}

/**
 * Reads a webhook body as "ticket X changed". A Zendesk event about something other than a
 * ticket (a user, an organization…) is `ignored`, with the reason; an error message says
 * what was wrong with a body that is neither.
 */
export function parseZendeskDelivery(body: unknown): ZendeskDelivery | { ignored: string } | { error: string } {
  const event = anyEvent.safeParse(body);
  if (event.success) {
    if (!event.data.type.startsWith(TICKET_EVENT_TYPE)) return { ignored: `${event.data.type} is not a ticket event` };
    const ticket = ticketEvent.safeParse(body);
    if (!ticket.success) return { error: `expected a ticket event (${event.data.type}) to have an id and the ticket's id in detail.id` };
    return { ticketId: ticket.data.detail.id, kind: ticket.data.type.slice(EVENT_TYPE.length), eventId: ticket.data.id };
  }
  const trigger = triggerPayload.safeParse(body);
  if (trigger.success) return { ticketId: trigger.data.ticket.id, kind: 'trigger' };
  return {
    error: 'expected a Zendesk event webhook (type "zen:event-type:ticket.…" with id and detail.id) or a trigger body naming the ticket, at least {"ticket":{"id":"{{ticket.id}}"}}',
  };
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 32);

/**
 * What identifies one delivery, so that only a true repeat of it is recognised: an event by
 * its id; a trigger delivery by Zendesk's invocation id when it sends one, else by its body
 * together with its signature timestamp. Trigger bodies repeat (their placeholders are
 * rendered to the minute, or there are none), so a body alone would take a later change of
 * the ticket for a repeat. Processing is idempotent, so telling two deliveries apart that
 * were in fact one costs only a second read of the ticket.
 */
export function zendeskDedupeKey(delivery: ZendeskDelivery, request: { rawBody: string; timestamp: string; invocationId?: string | undefined }): string {
  if (delivery.eventId !== undefined) return `event:${delivery.eventId.length <= 150 ? delivery.eventId : sha256(delivery.eventId)}`;
  const invocation = request.invocationId?.trim();
  if (invocation) return `trigger:${delivery.ticketId}:invocation:${/^[\w.-]{1,100}$/.test(invocation) ? invocation : sha256(invocation)}`;
  return `trigger:${delivery.ticketId}:${sha256(`${request.timestamp}\n${request.rawBody}`)}`;
}
