import type { Customer } from '../../db/models/customer.ts';
import { identitiesOf } from '../relay/identity.ts';
import { scrubIdentity } from '../relay/scrub-identity.ts';

/**
 * A ticket's subject and description as experts may see them: what the customer wrote,
 * with their own name, email, phone, company and Slack names (now and before) replaced by their alias —
 * an email signature or "I'm Nora from Contoso" in the first message would otherwise
 * undo the aliasing on every channel post and page.
 */
export function ticketTextForExperts(
  ticket: { subject: string | null; description: string },
  customer: Pick<Customer, 'name' | 'email' | 'phone' | 'company' | 'slackNames' | 'formerIdentity'> | null,
  customerAlias: string,
): { subject: string | null; description: string } {
  if (!customer) return { subject: ticket.subject, description: ticket.description };
  const who = identitiesOf(customer);
  return {
    subject: ticket.subject === null ? null : scrubIdentity(ticket.subject, who, customerAlias),
    description: scrubIdentity(ticket.description, who, customerAlias),
  };
}
