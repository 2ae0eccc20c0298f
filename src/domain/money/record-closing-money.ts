import type { Transaction } from 'sequelize';
import type { DomainContext } from '../domain-context.ts';
import { storedCategory } from '../routing-snapshot.ts';
import { feeAmount, feeMultiplier } from './rules.ts';

/**
 * What a closed ticket costs and earns, written in the closing transaction: the customer's
 * billing entry at the category's customer rate, and the expert's fee at the category's
 * expert rate times the survey's outcome (see rules.feeMultiplier), in the network's
 * currency. One of each per ticket (unique per ticket in the database).
 */
export async function recordClosingMoney(
  ctx: Pick<DomainContext, 'db' | 'routing' | 'now'>,
  transaction: Transaction,
  o: { ticket: { id: number; customerId: number; categoryId: number }; expertId: number; solved: boolean; score: number },
): Promise<void> {
  const now = ctx.now();
  const category = await storedCategory(ctx, o.ticket.categoryId, transaction);
  if (!category) throw new Error(`category ${o.ticket.categoryId} of ticket ${o.ticket.id} not found`);
  const { currency } = ctx.routing;
  await ctx.db.money.addBillingEntry(
    { ticketId: o.ticket.id, customerId: o.ticket.customerId, categoryId: category.id, amountMinor: category.rates.customerMinor, currency, occurredAt: now },
    { transaction, now },
  );
  const multiplier = feeMultiplier(o.solved, o.score, ctx.routing.fees);
  await ctx.db.money.addFee(
    { expertId: o.expertId, ticketId: o.ticket.id, categoryId: category.id, kind: 'fee', solved: o.solved, multiplier, amountMinor: feeAmount(category.rates.expertMinor, multiplier), currency, occurredAt: now },
    { transaction, now },
  );
}
