import type { CustomerAccountRow } from '../../db/repositories/customer-accounts.ts';
import type { InTransaction } from '../../db/repositories/in-transaction.ts';
import type { DomainContext } from '../domain-context.ts';
import { hashResetToken, looksLikeResetToken } from './account-links.ts';
import type { PasswordReset } from './account-form.ts';
import { claimConfirmedEmail } from './claim-email.ts';
import { hashPassword } from './passwords.ts';

/**
 * `reset`: the account's password is the new one, every session it had has ended, the link
 * works no more, and — if the email was not confirmed yet — it is now, with the same claim of
 * earlier tickets as the confirmation link makes (`claimedTickets`): opening a link sent to
 * the address proves the same thing. `invalid`: no such link, already used, replaced by a
 * newer one, or older than 1 hour.
 */
export type ResetResult = { outcome: 'reset'; accountId: number; confirmedNow: boolean; claimedTickets: number } | { outcome: 'invalid' };

/** Whether the account's reset link is still good at `now`. */
const pendingAt = (account: CustomerAccountRow | undefined, now: Date): account is CustomerAccountRow => !!account?.resetExpiresAt && account.resetExpiresAt.getTime() > now.getTime();

async function accountOfLink(ctx: Pick<DomainContext, 'db' | 'now'>, token: string, opts: InTransaction & { forUpdate?: boolean } = {}): Promise<CustomerAccountRow | undefined> {
  if (!looksLikeResetToken(token)) return undefined;
  const account = await ctx.db.accounts.byResetTokenHash(hashResetToken(token), opts);
  return pendingAt(account, ctx.now()) ? account : undefined;
}

/** Whether this reset link works now (the form is shown only then). */
export async function resetLinkWorks(ctx: Pick<DomainContext, 'db' | 'now'>, token: string): Promise<boolean> {
  return !!(await accountOfLink(ctx, token));
}

export async function resetPassword(ctx: Pick<DomainContext, 'db' | 'now'>, token: string, form: PasswordReset): Promise<ResetResult> {
  // A link that does not work costs no hashing; the slow hash is made outside the transaction.
  if (!(await accountOfLink(ctx, token))) return { outcome: 'invalid' };
  const passwordHash = await hashPassword(form.newPassword);
  return ctx.db.unitOfWork(async (transaction) => {
    const now = ctx.now();
    // Read again under a lock: of two uses at once, the second finds the link gone.
    const account = await accountOfLink(ctx, token, { transaction, forUpdate: true });
    if (!account) return { outcome: 'invalid' as const };
    await ctx.db.accounts.update(account.id, { passwordHash, resetSalt: null, resetTokenHash: null, resetExpiresAt: null }, { transaction, now });
    // Whoever knew the old password (or had a session open with it) is out.
    await ctx.db.accounts.deleteOtherSessions(account.id, null, { transaction });
    const confirmedNow = !account.emailConfirmedAt;
    const claimedTickets = confirmedNow ? (await claimConfirmedEmail(ctx, account, now, transaction)).claimedTickets : 0;
    return { outcome: 'reset' as const, accountId: account.id, confirmedNow, claimedTickets };
  });
}
