import type { DomainContext } from '../domain-context.ts';
import { hashConfirmToken, looksLikeConfirmToken } from './account-links.ts';

/**
 * `confirmed`: the email is now the account's, and the customer who already had it (from the
 * widget, Zendesk or Slack, without an account) is now the account's customer, with their
 * tickets; `customerId` is the account's customer now. `invalid`: no such link, or expired.
 */
export type ConfirmResult = { outcome: 'confirmed'; accountId: number; customerId: number; claimedTickets: number } | { outcome: 'invalid' };

export async function confirmEmail(ctx: DomainContext, token: string): Promise<ConfirmResult> {
  if (!looksLikeConfirmToken(token)) return { outcome: 'invalid' };
  const hash = hashConfirmToken(token);
  return ctx.db.unitOfWork(async (transaction) => {
    const now = ctx.now();
    const account = await ctx.db.accounts.byConfirmTokenHash(hash, { transaction, forUpdate: true });
    if (!account || !account.confirmExpiresAt || account.confirmExpiresAt.getTime() <= now.getTime()) return { outcome: 'invalid' as const };
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
    return { outcome: 'confirmed' as const, accountId: account.id, customerId, claimedTickets };
  });
}
