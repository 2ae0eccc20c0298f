import { createHash, createHmac, randomBytes } from 'node:crypto';

/**
 * A survey link's token: HMAC-SHA256 of the survey's random salt (128 bits) under the
 * server's secret, 256 bits in base64url. Only its SHA-256 is stored (to find the survey
 * by); the token is derived again wherever a notice shows the link, so neither the
 * transcript nor a job's payload ever holds it, and the database alone cannot give it.
 */
export interface SurveyLinks {
  /** The token of the survey with this salt. */
  tokenFor(salt: string): string;
  /** The absolute link the customer opens: PUBLIC_URL/survey/<token>. */
  urlFor(salt: string): string;
}

export function surveyLinks(secret: string, publicUrl: string): SurveyLinks {
  const tokenFor = (salt: string) => createHmac('sha256', secret).update(`survey:${salt}`).digest('base64url');
  return { tokenFor, urlFor: (salt) => `${publicUrl}/survey/${tokenFor(salt)}` };
}

export const newSurveySalt = (): string => randomBytes(16).toString('hex');

export const hashSurveyToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/** Whether a string can be a token at all (43 base64url characters): anything else is not looked up. */
export const looksLikeSurveyToken = (token: string): boolean => /^[A-Za-z0-9_-]{43}$/.test(token);
