import { UniqueConstraintError } from 'sequelize';
import { WORK, type DomainContext } from '../domain-context.ts';
import { CONFIRM_LINK_TTL_MS, hashConfirmToken, newConfirmSalt } from './account-links.ts';
import type { SignupForm } from './account-form.ts';
import { hashPassword } from './passwords.ts';

/** Which email an account job sends: the confirmation link, "you already have an account", or the password-reset link. */
export type AccountEmailKind = 'confirm' | 'already' | 'reset';

/**
 * `created`: a new account (and its own customer row, without an email until it is
 * confirmed, so no widget ticket lands on it before then). `taken`: the email already has an
 * account; nothing changes and its owner is told by email. The page shown is the same
 * either way, so sign-up never says whether an email has an account. `mailQueued` is false
 * when mail is off: no one receives the link then.
 */
export interface SignUpResult {
  outcome: 'created' | 'taken';
  accountId: number;
  mailQueued: boolean;
}

export async function signUp(ctx: DomainContext, form: SignupForm, opts: { mail: boolean }): Promise<SignUpResult> {
  const passwordHash = await hashPassword(form.password);
  const now = ctx.now();
  const existing = await ctx.db.accounts.byEmail(form.email);
  if (existing) return tellOwner(ctx, existing.id, opts.mail);
  const salt = newConfirmSalt();
  try {
    return await ctx.db.unitOfWork(async (transaction) => {
      const customerId = await ctx.db.customers.add({ name: `${form.firstName} ${form.lastName}`, email: null, company: form.company, city: form.city }, now, { transaction });
      const accountId = await ctx.db.accounts.add(
        {
          customerId,
          email: form.email,
          passwordHash,
          firstName: form.firstName,
          lastName: form.lastName,
          company: form.company,
          address: form.address,
          city: form.city,
          state: form.state,
          zip: form.zip,
          country: form.country,
          heardFrom: form.heardFrom,
          confirmSalt: salt,
          confirmTokenHash: hashConfirmToken(ctx.accountLinks.tokenFor(salt)),
          confirmExpiresAt: new Date(now.getTime() + CONFIRM_LINK_TTL_MS),
        },
        { transaction, now },
      );
      if (opts.mail) await ctx.outbox.add(transaction, WORK.accountEmail, { accountId, kind: 'confirm' satisfies AccountEmailKind });
      return { outcome: 'created' as const, accountId, mailQueued: opts.mail };
    });
  } catch (err) {
    // Two sign-ups with one email at once: the second is "taken", as if it came later.
    if (!(err instanceof UniqueConstraintError)) throw err;
    const winner = await ctx.db.accounts.byEmail(form.email);
    if (!winner) throw err;
    return tellOwner(ctx, winner.id, opts.mail);
  }
}

async function tellOwner(ctx: DomainContext, accountId: number, mail: boolean): Promise<SignUpResult> {
  if (mail) await ctx.db.unitOfWork((transaction) => ctx.outbox.add(transaction, WORK.accountEmail, { accountId, kind: 'already' satisfies AccountEmailKind }));
  return { outcome: 'taken', accountId, mailQueued: mail };
}
