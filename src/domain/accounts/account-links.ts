import { createHash, createHmac, randomBytes } from 'node:crypto';

/**
 * An account's email-confirmation link: its token is HMAC-SHA256 of the account's random
 * salt under the server's secret (base64url, 43 characters). Only the token's SHA-256 is
 * stored; the mail job derives the token again from the salt, so neither the database nor a
 * job's payload holds a working link.
 */
export interface AccountLinks {
  tokenFor(salt: string): string;
  /** PUBLIC_URL/confirm/<token>. */
  confirmUrlFor(salt: string): string;
  /** PUBLIC_URL itself, for links in emails. */
  readonly publicUrl: string;
}

export function accountLinks(secret: string, publicUrl: string): AccountLinks {
  const tokenFor = (salt: string) => createHmac('sha256', secret).update(`account-confirm:${salt}`).digest('base64url');
  return { tokenFor, confirmUrlFor: (salt) => `${publicUrl}/confirm/${tokenFor(salt)}`, publicUrl };
}

export const newConfirmSalt = (): string => randomBytes(16).toString('hex');

export const hashConfirmToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/** Only a string shaped like a token is looked up. */
export const looksLikeConfirmToken = (token: string): boolean => /^[A-Za-z0-9_-]{43}$/.test(token);

/** How long a confirmation link works. */
export const CONFIRM_LINK_TTL_MS = 3 * 24 * 60 * 60_000;
