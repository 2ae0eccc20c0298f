import { randomUUID } from 'node:crypto';
import { Category, type Ticket } from '../../src/db/models/index.ts';
import type { DomainContext } from '../../src/domain/domain-context.ts';
import { createTicket, type NewTicket } from '../../src/domain/tickets/create-ticket.ts';

/**
 * A ticket filed through the domain as the widget files one (dispatched to its first tier
 * like any other), in `categoryKey` (default ms-exchange); every field can be overridden.
 */
export async function fileWidgetTicket(services: DomainContext, over: Partial<NewTicket> & { categoryKey?: string } = {}): Promise<Ticket> {
  const { categoryKey = 'ms-exchange', ...fields } = over;
  const category = await Category.findOne({ where: { key: categoryKey }, rejectOnEmpty: true });
  const { ticket } = await createTicket(services, {
    source: 'widget',
    externalId: `w-${randomUUID()}`,
    categoryId: category.id,
    description: 'Outlook keeps asking for my password since the upgrade.',
    customer: { name: 'Carol Customer', email: `carol.${randomUUID().slice(0, 8)}@customer.example` },
    ...fields,
  });
  return ticket;
}
