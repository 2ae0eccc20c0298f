import type { DomainContext } from '../domain-context.ts';
import type { AccountDetails, PasswordChange } from './account-form.ts';
import { checkPassword, hashPassword } from './passwords.ts';

/** Saves the account's details, and the name, company and city on its customer (what experts and managers see of them). */
export async function updateAccountDetails(ctx: Pick<DomainContext, 'db' | 'now'>, accountId: number, details: AccountDetails): Promise<void> {
  await ctx.db.unitOfWork(async (transaction) => {
    const now = ctx.now();
    const account = await ctx.db.accounts.byId(accountId, { transaction, forUpdate: true });
    if (!account) return;
    await ctx.db.accounts.update(accountId, details, { transaction, now });
    await ctx.db.customers.update(account.customerId, { name: `${details.firstName} ${details.lastName}`, company: details.company, city: details.city }, now, { transaction });
  });
}

/**
 * Changes the password when the current one is given right: `changed` (and every other
 * session of the account ends), or `wrong_password` (nothing changes).
 */
export async function changePassword(ctx: Pick<DomainContext, 'db' | 'now'>, accountId: number, change: PasswordChange, keepSessionHash: string): Promise<'changed' | 'wrong_password'> {
  const account = await ctx.db.accounts.byId(accountId);
  if (!account || !(await checkPassword(account.passwordHash, change.currentPassword))) return 'wrong_password';
  const passwordHash = await hashPassword(change.newPassword);
  await ctx.db.unitOfWork(async (transaction) => {
    await ctx.db.accounts.update(accountId, { passwordHash }, { transaction, now: ctx.now() });
    await ctx.db.accounts.deleteOtherSessions(accountId, keepSessionHash, { transaction });
  });
  return 'changed';
}
