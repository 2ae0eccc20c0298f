import { WORK, type DomainContext } from '../domain-context.ts';
import { hashResetToken, newResetSalt, RESET_LINK_TTL_MS } from './account-links.ts';
import type { AccountEmailKind } from './sign-up.ts';

/**
 * Someone asked for a password-reset link for this (normalised) email. With an account: a
 * new link, valid 1 hour, replaces any pending one (only its hash is stored, the mail job
 * derives it again from the salt) and the email is queued, in one unit of work. Without:
 * nothing. The caller shows the same page either way and only calls this with mail on (no
 * one could receive the link otherwise). `queued` is for logs and tests, never for the page.
 */
export async function requestPasswordReset(ctx: DomainContext, email: string): Promise<{ queued: boolean }> {
  // The lookup is inside the unit of work for an unknown email too, so both take a transaction.
  // Not a locking read: on InnoDB one for a missing email would lock the gap a sign-up
  // inserts into. Of two requests at once the later link stays, and the newest email carries it.
  return ctx.db.unitOfWork(async (transaction) => {
    const now = ctx.now();
    const account = await ctx.db.accounts.byEmail(email, { transaction });
    if (!account) return { queued: false };
    const salt = newResetSalt();
    await ctx.db.accounts.update(
      account.id,
      { resetSalt: salt, resetTokenHash: hashResetToken(ctx.accountLinks.resetTokenFor(salt)), resetExpiresAt: new Date(now.getTime() + RESET_LINK_TTL_MS) },
      { transaction, now },
    );
    await ctx.outbox.add(transaction, WORK.accountEmail, { accountId: account.id, kind: 'reset' satisfies AccountEmailKind });
    return { queued: true };
  });
}
