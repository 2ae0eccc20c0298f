import { recordCustomerContact } from '../customers/record-customer-contact.ts';
import type { ContactUpdate } from '../customers/rules.ts';
import { findTier } from '../dispatch/post-to-tier.ts';
import type { DomainContext } from '../domain-context.ts';
import { startDispatch } from './start-dispatch.ts';

/**
 * Dispatches a ticket filed `open` to wait for its requester's contact (see createTicket's
 * `awaitRequesterContact`): stores what was learnt of them (nothing, when their source
 * would not say) and then starts the dispatch, in one transaction, so nothing about the
 * ticket reaches Slack before it can be scrubbed of who they are. Moving the ticket out of
 * `open` is the claim: a repeated or overlapping run, or a ticket withdrawn meanwhile, does
 * nothing.
 */
export async function dispatchFiledTicket(ctx: DomainContext, ticketId: number, contact?: ContactUpdate): Promise<'dispatched' | 'stale'> {
  const { tickets, customers, models } = ctx.db;
  return ctx.db.unitOfWork(async (transaction) => {
    const ticket = await tickets.byId(ticketId, { transaction, forUpdate: true });
    if (!ticket || ticket.status !== 'open') return 'stale';
    const target = await findTier(ctx, transaction, ticket.categoryId, 1);
    const now = ctx.now();
    if (target) {
      if (!(await tickets.dispatchOpen(ticket.id, now, { transaction }))) return 'stale';
    } else if (await models.SlackMessage.findOne({ where: { ticketId: ticket.id, purpose: 'requester_confirmation' }, attributes: ['id'], transaction })) {
      // A category without a tier leaves the ticket open: its requester was told already.
      return 'stale';
    }
    const customer = contact ? await recordCustomerContact(ctx, transaction, ticket.customerId, contact) : await customers.byId(ticket.customerId, { transaction });
    const posted = target ? { ...ticket, status: 'dispatched' as const, tier: 1, dispatchedAt: now } : ticket;
    await startDispatch(ctx, transaction, posted, customer?.slackUserId ?? null, target);
    return 'dispatched';
  });
}
