import type { Transaction } from 'sequelize';
import type { CustomerAccountRow } from '../../db/repositories/customer-accounts.ts';
import type { DomainContext } from '../domain-context.ts';

/**
 * Marks the account's email confirmed, inside the caller's unit of work: its owner has just
 * shown they read mail sent to it (a confirmation link, or a password-reset link). The
 * customer who already had that email (from the widget, Zendesk or Slack, without an
 * account) becomes the account's customer, with their tickets; with no such customer, the
 * account's own customer row takes the email. Any pending confirmation link stops working.
 * `customerId` is the account's customer now; `claimedTickets` how many tickets came with it.
 */
export async function claimConfirmedEmail(ctx: Pick<DomainContext, 'db'>, account: CustomerAccountRow, now: Date, transaction: Transaction): Promise<{ customerId: number; claimedTickets: number }> {
  const placeholder = account.customerId;
  const claimed = await ctx.db.accounts.unclaimedCustomerByEmail(account.email, { transaction });
  let customerId = placeholder;
  let claimedTickets = 0;
  if (claimed && claimed.id !== placeholder) {
    // The customer who wrote from this email before: the account becomes theirs, and what
    // the account's own row had (nothing yet, as a rule) moves to it.
    claimedTickets = await ctx.db.accounts.ticketCount(claimed.id, { transaction });
    await ctx.db.accounts.moveCustomerRecords(placeholder, claimed.id, { transaction });
    customerId = claimed.id;
    await ctx.db.customers.update(claimed.id, { name: `${account.firstName} ${account.lastName}`, company: account.company, city: account.city }, now, { transaction });
  } else {
    await ctx.db.customers.update(placeholder, { email: account.email }, now, { transaction });
  }
  await ctx.db.accounts.update(account.id, { customerId, emailConfirmedAt: now, confirmSalt: null, confirmTokenHash: null, confirmExpiresAt: null }, { transaction, now });
  return { customerId, claimedTickets };
}
