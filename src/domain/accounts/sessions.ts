import { createHash, randomBytes } from 'node:crypto';
import type { CustomerAccountRow } from '../../db/repositories/customer-accounts.ts';
import type { DomainContext } from '../domain-context.ts';
import { checkPassword } from './passwords.ts';

/** How long a signed-in session lasts. */
export const SESSION_TTL_MS = 7 * 24 * 60 * 60_000;

export const hashSessionId = (id: string): string => createHash('sha256').update(id).digest('hex');

/** Only a string shaped like a session id (43 base64url characters) is looked up. */
const looksLikeSessionId = (id: string) => /^[A-Za-z0-9_-]{43}$/.test(id);

/** A session as a page needs it: whose, and the secret its CSRF tokens come from. */
export interface ActiveSession {
  idHash: string;
  accountId: number;
  csrfSecret: string;
  account: CustomerAccountRow;
}

/** The account these credentials open, or undefined; as slow for an unknown email as for a wrong password. */
export async function checkCredentials(ctx: Pick<DomainContext, 'db'>, email: string, password: string): Promise<CustomerAccountRow | undefined> {
  const account = email ? await ctx.db.accounts.byEmail(email) : undefined;
  return (await checkPassword(account?.passwordHash, password)) ? account : undefined;
}

/**
 * A new session for the account: a fresh random id (only its hash stored) and CSRF secret.
 * The one it replaces (`previousId`), if any, ends in the same unit of work: signing in
 * always starts a new id. Expired sessions are deleted then too.
 */
export async function startSession(ctx: Pick<DomainContext, 'db' | 'now'>, accountId: number, previousId?: string): Promise<{ id: string; expiresAt: Date }> {
  const id = randomBytes(32).toString('base64url');
  const now = ctx.now();
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  await ctx.db.unitOfWork(async (transaction) => {
    if (previousId) await ctx.db.accounts.deleteSession(hashSessionId(previousId), { transaction });
    // Sessions past their end are forgotten as new ones start (an indexed range delete).
    await ctx.db.accounts.deleteExpiredSessions(now, { transaction });
    await ctx.db.accounts.addSession({ idHash: hashSessionId(id), accountId, csrfSecret: randomBytes(32).toString('hex'), expiresAt }, { transaction, now });
  });
  return { id, expiresAt };
}

/** The live session with this cookie id, with its account; undefined for anything else. */
export async function readSession(ctx: Pick<DomainContext, 'db' | 'now'>, id: string | undefined): Promise<ActiveSession | undefined> {
  if (!id || !looksLikeSessionId(id)) return undefined;
  const session = await ctx.db.accounts.sessionByHash(hashSessionId(id), ctx.now());
  if (!session) return undefined;
  const account = await ctx.db.accounts.byId(session.accountId);
  if (!account) return undefined;
  return { idHash: session.idHash, accountId: session.accountId, csrfSecret: session.csrfSecret, account };
}

export async function endSession(ctx: Pick<DomainContext, 'db'>, id: string): Promise<void> {
  await ctx.db.unitOfWork((transaction) => ctx.db.accounts.deleteSession(hashSessionId(id), { transaction }));
}
