import type { Ticket, TicketSource } from '../../db/models/ticket.ts';
import { alertManagers } from '../alerts/alert-managers.ts';
import type { DomainContext } from '../domain-context.ts';
import { routingSnapshot, type StoredCategory } from '../routing-snapshot.ts';
import { createTicket, type NewTicket } from './create-ticket.ts';

/** A ticket as a source hands it in: its category by key, as the source names it. */
export interface TicketToFile extends Omit<NewTicket, 'categoryId'> {
  /** The key of the category the source gave; undefined when it names none. */
  categoryKey: string | undefined;
  /** What of the ticket named its category, for the managers when none matches ("its tags (fax)"). */
  categoryNamedBy?: string;
}

export type FilingOutcome =
  /** Filed now, or (`created` false) filed already by an earlier delivery of the same source event. */
  | { outcome: 'filed'; ticket: Ticket; created: boolean }
  /** No active category has that key: the person filing is there to be told (the widget, Slack). */
  | { outcome: 'unknown-category' }
  /** No active category has that key and nobody waits for an answer (Zendesk): the managers were alerted, once per source ticket. */
  | { outcome: 'unroutable' };

/** Where the person filing waits for an answer, and so is told that a category is not taken. */
const ASKS_IN_PERSON: Record<TicketSource, boolean> = { zendesk: false, slack: true, widget: true, portal: true };
const SOURCE_NAMES: Record<TicketSource, string> = { zendesk: 'Zendesk', slack: 'Slack', widget: 'the widget', portal: 'the portal' };

/**
 * Intake from any source: finds the active category of the key the source gave and files
 * the ticket in it (see createTicket: stored, dispatched to tier 1, idempotent per source
 * event). A key no active category has is told to the person filing; from a source where
 * nobody waits for the answer the managers are alerted instead, the first time for that
 * source ticket (a later delivery about it tries again, so a routing fix files it).
 */
export async function fileTicket(ctx: DomainContext, input: TicketToFile): Promise<FilingOutcome> {
  const { categoryKey, categoryNamedBy, ...ticket } = input;
  const category = categoryKey === undefined ? undefined : await activeCategory(ctx, categoryKey);
  if (category) return { outcome: 'filed', ...(await createTicket(ctx, { ...ticket, categoryId: category.id })) };
  if (ASKS_IN_PERSON[input.source]) return { outcome: 'unknown-category' };
  const named = categoryNamedBy ?? (categoryKey === undefined ? 'nothing' : `"${categoryKey}"`);
  await ctx.db.unitOfWork((transaction) =>
    alertManagers(
      ctx,
      transaction,
      `unroutable:${input.source}-ticket:${input.externalId}`,
      { kind: 'unroutable', source: SOURCE_NAMES[input.source], reference: `ticket #${input.externalId}`, reason: `no category matches ${named}` },
      { source: input.source, externalId: input.externalId, categoryKey: categoryKey ?? null },
    ),
  );
  return { outcome: 'unroutable' };
}

/** The active category with this key; read again once if it is newer than the snapshot. */
async function activeCategory(ctx: DomainContext, key: string): Promise<StoredCategory | undefined> {
  const category = (await routingSnapshot(ctx)).byKey.get(key) ?? (await routingSnapshot(ctx, { fresh: true })).byKey.get(key);
  return category?.active ? category : undefined;
}
