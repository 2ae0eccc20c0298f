import type { DatabaseAccess } from '../../db/database.ts';
import type { SlackMessageRow } from '../../db/repositories/slack-messages.ts';
import { storedCategory } from '../../domain/routing-snapshot.ts';
import { ticketPublicId } from '../../domain/tickets/ticket-public-id.ts';
import { ticketTextForExperts } from '../../domain/tickets/ticket-text-for-experts.ts';
import { buildExpertThread } from '../blocks/expert-thread.ts';
import type { RenderedMessage } from './rendered-message.ts';

/** The parent of an expert's ticket thread: the ticket, the expert's alias for the booking it was opened for, and where the booking stands. */
export async function renderExpertThread(db: DatabaseAccess, message: SlackMessageRow): Promise<RenderedMessage> {
  const found = async <T>(what: string, row: Promise<T | undefined>): Promise<T> => (await row) ?? Promise.reject(new Error(`${what} not found`));
  const ticket = await found(`ticket ${message.ticketId}`, db.tickets.byId(message.ticketId!));
  const category = await found(`category ${ticket.categoryId}`, storedCategory({ db }, ticket.categoryId));
  const expertAlias = await found(`alias ${message.aliasId}`, message.aliasId ? db.ticketAliases.byId(message.aliasId) : Promise.resolve(undefined));
  const { customer, alias: customerAlias } = await db.tickets.customerWithAlias(ticket.id, ticket.customerId);
  // Where the category shares the customer's contact with the expert who took the ticket, their text is shown as written.
  const { subject, description } = category.shareCustomerContact
    ? { subject: ticket.subject, description: ticket.description }
    : ticketTextForExperts(ticket, customer, customerAlias ?? 'the customer');
  const current = !expertAlias.releasedAt && ticket.expertId === message.expertId;
  const state = ['closed', 'cancelled'].includes(ticket.status) ? 'closed' : !current ? 'released' : ticket.status === 'close_pending' ? 'resolved' : 'active';
  return buildExpertThread({
    publicId: ticketPublicId(ticket.id),
    categoryName: category.name,
    customerAlias: customerAlias ?? 'a customer',
    expertAlias: expertAlias.name,
    subject,
    description,
    contact: customer && category.shareCustomerContact ? { email: customer.email, phone: customer.phone } : null,
    state,
  });
}
