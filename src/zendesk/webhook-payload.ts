import { createHash } from 'node:crypto';
import { z } from 'zod';

const ticketId = z.union([z.number().int().positive(), z.string().regex(/^\d+$/).transform(Number)]);

/** The body of the Helpnet trigger documented in docs/zendesk.md. */
const triggerPayload = z.object({
  ticket: z.looseObject({ id: ticketId }),
});

/** A Zendesk event webhook (`zen:event-type:ticket.*`). */
const eventPayload = z.looseObject({
  id: z.string().min(1),
  type: z.string().startsWith('zen:event-type:'),
  detail: z.looseObject({ id: ticketId }),
});

export interface ZendeskDelivery {
  ticketId: number;
  /** `ticket.created`, `ticket.comment_added`, … or `trigger` for the trigger payload. */
  kind: string;
  /** Identifies the delivery, so a repeat is recognised. */
  dedupeKey: string;
}

/** Reads a webhook body as "ticket X changed"; an error message says what was wrong. */
export function parseZendeskDelivery(body: unknown, rawBody: string): ZendeskDelivery | { error: string } {
  const event = eventPayload.safeParse(body);
  if (event.success) {
    return { ticketId: event.data.detail.id, kind: event.data.type.replace('zen:event-type:', ''), dedupeKey: `event:${event.data.id}` };
  }
  const trigger = triggerPayload.safeParse(body);
  if (trigger.success) {
    const digest = createHash('sha256').update(rawBody).digest('hex').slice(0, 32);
    return { ticketId: trigger.data.ticket.id, kind: 'trigger', dedupeKey: `trigger:${trigger.data.ticket.id}:${digest}` };
  }
  return { error: 'expected a Zendesk event webhook (type "zen:event-type:ticket.…" with detail.id) or the Helpnet trigger body {"ticket":{"id":"{{ticket.id}}"}}' };
}
