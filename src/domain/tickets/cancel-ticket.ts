import type { DomainContext } from '../domain-context.ts';
import { releaseAliases } from '../aliases/assign-alias.ts';
import { refreshTicketMessages } from '../dispatch/refresh-ticket-messages.ts';
import { refreshTicketHomes } from '../home/refresh-homes.ts';

/**
 * `cancelled`: withdrawn now. `taken`: an expert booked it first (it is theirs to resolve).
 * `finished`: resolved, closed or withdrawn already. `not_found`: no such ticket of this customer.
 */
export type CancelOutcome = 'cancelled' | 'taken' | 'finished' | 'not_found';

/** Statuses a customer may withdraw from: nobody has booked the ticket yet. */
const UNBOOKED = ['open', 'dispatched'] as const;

/**
 * The customer withdraws a ticket nobody has booked yet. One conditional write decides, the
 * same kind as Book's (db.tickets.claimBooking: only from open or dispatched), so a Book
 * racing it either wins (the cancel is refused as `taken`) or finds the ticket cancelled
 * (Book answers "closed"). The channel posts and pages then say "Withdrawn by the customer",
 * escalations left do nothing (they only move a dispatched ticket), the customer's alias is
 * freed, and the Homes that listed it as bookable are refreshed.
 */
export async function cancelTicket(ctx: DomainContext, input: { ticketId: number; customerId: number }): Promise<CancelOutcome> {
  const { Ticket } = ctx.db.models;
  return ctx.db.unitOfWork(async (transaction) => {
    const [claimed] = await Ticket.update(
      { status: 'cancelled', closedAt: ctx.now() },
      { where: { id: input.ticketId, customerId: input.customerId, status: [...UNBOOKED] }, transaction },
    );
    if (claimed !== 1) {
      const ticket = await Ticket.findOne({ where: { id: input.ticketId, customerId: input.customerId }, attributes: ['status'], transaction });
      if (!ticket) return 'not_found';
      return ticket.status === 'booked' ? 'taken' : 'finished';
    }
    const ticket = await Ticket.findByPk(input.ticketId, { transaction, rejectOnEmpty: true });
    await releaseAliases(ctx, transaction, ticket.id, 'customer');
    await refreshTicketMessages(ctx, transaction, ticket.id);
    await refreshTicketHomes(ctx, transaction, { categoryId: ticket.categoryId });
    return 'cancelled';
  });
}
