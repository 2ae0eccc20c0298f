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
  const { sql, models } = ctx.db;
  return ctx.db.unitOfWork(async (transaction) => {
    const ticket = await sql.selectOne(models.Ticket, 'id = ?', [ticketId], { transaction, forUpdate: true });
    if (!ticket || ticket.status !== 'open') return 'stale';
    const target = await findTier(ctx, transaction, ticket.categoryId, 1);
    const now = ctx.now();
    if (target) {
      const claimed = await sql.update(models.Ticket, { status: 'dispatched', tier: 1, dispatchedAt: now }, "id = ? AND status = 'open'", [ticket.id], { transaction, now });
      if (claimed !== 1) return 'stale';
    } else if (await sql.selectOne(models.SlackMessage, "ticket_id = ? AND purpose = 'requester_confirmation'", [ticket.id], { transaction })) {
      // A category without a tier leaves the ticket open: its requester was told already.
      return 'stale';
    }
    const customer = contact ? await recordCustomerContact(ctx, transaction, ticket.customerId, contact) : await sql.selectOne(models.Customer, 'id = ?', [ticket.customerId], { transaction });
    const posted = target ? { ...ticket, status: 'dispatched' as const, tier: 1, dispatchedAt: now } : ticket;
    await startDispatch(ctx, transaction, posted, customer?.slackUserId ?? null, target);
    return 'dispatched';
  });
}
