import type { DatabaseAccess } from '../../db/database.ts';
import { storedCategory } from '../../domain/routing-snapshot.ts';
import { ticketPublicId } from '../../domain/tickets/ticket-public-id.ts';
import { ticketTextForExperts } from '../../domain/tickets/ticket-text-for-experts.ts';
import type { TicketCard } from '../blocks/ticket-card.ts';

/**
 * What a channel post or a page about a ticket shows, from its current state, and the
 * channels it has reached so far. Two plain reads — the ticket, and its customer with the
 * latest customer alias — as the category and its tiers are known.
 */
export async function loadTicketCard(db: DatabaseAccess, ticketId: number, postedTier: number, postedRound = 1): Promise<{ card: TicketCard; channels: string[] }> {
  const ticket = await db.tickets.byId(ticketId);
  if (!ticket) throw new Error(`ticket ${ticketId} not found`);
  const { customer, alias } = await db.tickets.customerWithAlias(ticketId, ticket.customerId);
  const category = await storedCategory({ db }, ticket.categoryId);
  const tiers = category?.tiers ?? [];
  const groupOf = (position: number) => tiers.find((t) => t.position === position)?.group;
  const current = ticket.tier ?? 1;
  const customerAlias = alias ?? 'a customer';
  // Channel posts and pages reach the whole group: never the customer's identity, whatever the category shares.
  const { subject, description } = ticketTextForExperts(ticket, customer, customerAlias);
  return {
    card: {
      publicId: ticketPublicId(ticket.id),
      categoryName: category?.name ?? '',
      customerAlias,
      urgency: ticket.urgency,
      filedAt: ticket.createdAt,
      status: ticket.status,
      tier: current,
      tierCount: tiers.length,
      tierGroupName: groupOf(current)?.name ?? '',
      postedTier,
      superseded: postedRound < ticket.dispatchRound,
      escalationExhausted: ticket.escalationExhaustedAt !== null,
      subject,
      description,
    },
    channels: tiers.filter((t) => t.position <= current).map((t) => t.group.channelId).filter((c): c is string => !!c),
  };
}
