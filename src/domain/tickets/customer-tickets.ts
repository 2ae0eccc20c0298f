import type { TicketStatus } from '../../db/models/ticket.ts';
import type { DomainContext } from '../domain-context.ts';
import { expertLabel } from '../relay/labels.ts';
import { ticketPublicId } from './ticket-public-id.ts';

/** A ticket as its own customer sees it in a list: never anything of the expert's but the alias. */
export interface CustomerTicketSummary {
  id: number;
  publicId: string;
  status: TicketStatus;
  categoryName: string;
  description: string;
  filedAt: Date;
}

/** One ticket's page, for its own customer. */
export interface CustomerTicket extends CustomerTicketSummary {
  /** Who has it (never shown: it reads the alias the customer knows them by). */
  expertId: number | null;
  /** "Expert Swift Otter" once an expert has booked it (kept after it closes: the customer knew them by it). */
  expert: string | null;
  /** The survey's link while it waits for the customer's answer (after Resolve). */
  surveyUrl: string | null;
}

/** Statuses of a ticket still under way, for the "open tickets" list. */
export const OPEN_STATUSES: readonly TicketStatus[] = ['open', 'dispatched', 'booked', 'close_pending'];

/** How many tickets a customer's page lists: more than anyone files, bounded against anyone's flood. */
export const TICKETS_LISTED = 200;

/** The customer's tickets, newest first (their earlier widget or Zendesk tickets too, once their account has claimed them). */
export async function listCustomerTickets(ctx: Pick<DomainContext, 'db'>, customerId: number): Promise<CustomerTicketSummary[]> {
  const { Ticket, Category } = ctx.db.models;
  const tickets = await Ticket.findAll({ where: { customerId }, order: [['id', 'DESC']], limit: TICKETS_LISTED, attributes: ['id', 'status', 'categoryId', 'description', 'createdAt'] });
  const categoryIds = [...new Set(tickets.map((t) => t.categoryId))];
  const categories = new Map((categoryIds.length > 0 ? await Category.findAll({ where: { id: categoryIds }, attributes: ['id', 'name'] }) : []).map((c) => [c.id, c.name]));
  return tickets.map((t) => ({ id: t.id, publicId: ticketPublicId(t.id), status: t.status, categoryName: categories.get(t.categoryId) ?? '', description: t.description, filedAt: t.createdAt }));
}

/**
 * The ticket if it is this customer's; undefined for another's or an unknown one alike (the
 * page answers both with the same 404).
 */
export async function customerTicket(ctx: Pick<DomainContext, 'db' | 'surveyLinks'>, customerId: number, ticketId: number): Promise<CustomerTicket | undefined> {
  const { Ticket, Category, TicketAlias, Survey } = ctx.db.models;
  const ticket = await Ticket.findOne({ where: { id: ticketId, customerId } });
  if (!ticket) return undefined;
  const [category, alias, survey] = await Promise.all([
    Category.findByPk(ticket.categoryId, { attributes: ['name'] }),
    ticket.expertId ? TicketAlias.findOne({ where: { ticketId: ticket.id, side: 'expert', expertId: ticket.expertId }, order: [['id', 'DESC']], attributes: ['name'] }) : null,
    ticket.status === 'close_pending' ? Survey.findOne({ where: { ticketId: ticket.id, status: 'pending' }, order: [['id', 'DESC']], attributes: ['tokenSalt'] }) : null,
  ]);
  return {
    id: ticket.id,
    publicId: ticketPublicId(ticket.id),
    status: ticket.status,
    categoryName: category?.name ?? '',
    description: ticket.description,
    filedAt: ticket.createdAt,
    expertId: ticket.expertId,
    expert: alias ? expertLabel(alias.name) : null,
    surveyUrl: survey ? ctx.surveyLinks.urlFor(survey.tokenSalt) : null,
  };
}
