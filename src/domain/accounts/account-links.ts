import { createHash, createHmac, randomBytes } from 'node:crypto';

/**
 * An account's email-confirmation link, and its password-reset link: each token is
 * HMAC-SHA256 of a random salt under the server's secret (base64url, 43 characters), with a
 * label of its own so that one kind of link can never be used as the other. Only the token's
 * SHA-256 is stored; the mail job derives the token again from the salt, so neither the
 * database nor a job's payload holds a working link.
 */
export interface AccountLinks {
  tokenFor(salt: string): string;
  /** PUBLIC_URL/confirm/<token>. */
  confirmUrlFor(salt: string): string;
  resetTokenFor(salt: string): string;
  /** PUBLIC_URL/password/reset/<token>. */
  resetUrlFor(salt: string): string;
  /** PUBLIC_URL itself, for links in emails. */
  readonly publicUrl: string;
}

export function accountLinks(secret: string, publicUrl: string): AccountLinks {
  const tokenFor = (salt: string) => createHmac('sha256', secret).update(`account-confirm:${salt}`).digest('base64url');
  const resetTokenFor = (salt: string) => createHmac('sha256', secret).update(`account-reset:${salt}`).digest('base64url');
  return {
    tokenFor,
    confirmUrlFor: (salt) => `${publicUrl}/confirm/${tokenFor(salt)}`,
    resetTokenFor,
    resetUrlFor: (salt) => `${publicUrl}/password/reset/${resetTokenFor(salt)}`,
    publicUrl,
  };
}

export const newConfirmSalt = (): string => randomBytes(16).toString('hex');

export const hashConfirmToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/** Only a string shaped like a token is looked up. */
export const looksLikeConfirmToken = (token: string): boolean => /^[A-Za-z0-9_-]{43}$/.test(token);

/** A reset token has the same shape and is stored the same way as a confirmation token. */
export const hashResetToken = hashConfirmToken;
export const looksLikeResetToken = looksLikeConfirmToken;
export const newResetSalt = newConfirmSalt;

/** How long a confirmation link works. */
export const CONFIRM_LINK_TTL_MS = 3 * 24 * 60 * 60_000;

/** How long a password-reset link works: short, since it opens the account to whoever holds it. */
export const RESET_LINK_TTL_MS = 60 * 60_000;
