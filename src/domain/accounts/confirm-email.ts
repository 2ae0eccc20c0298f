import type { DomainContext } from '../domain-context.ts';
import { hashConfirmToken, looksLikeConfirmToken } from './account-links.ts';
import { claimConfirmedEmail } from './claim-email.ts';

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
    const { customerId, claimedTickets } = await claimConfirmedEmail(ctx, account, now, transaction);
    return { outcome: 'confirmed' as const, accountId: account.id, customerId, claimedTickets };
  });
}
