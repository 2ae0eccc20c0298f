import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-zendesk-webhook-signature';
export const TIMESTAMP_HEADER = 'x-zendesk-webhook-signature-timestamp';

/** Deliveries older (or further in the future) than this are refused as replays. */
export const MAX_WEBHOOK_AGE_MS = 5 * 60 * 1000;

/** Zendesk's scheme: base64(HMAC-SHA256(secret, timestamp + rawBody)). */
export function zendeskSignature(secret: string, timestamp: string, rawBody: string | Buffer): string {
  return createHmac('sha256', secret).update(timestamp).update(rawBody).digest('base64');
}

export type SignatureCheck = { ok: true } | { ok: false; reason: 'missing' | 'stale' | 'mismatch' };

/** Checks a delivery's signature in constant time and refuses stale timestamps. */
export function verifyZendeskSignature(
  secret: string,
  headers: { signature?: string | undefined; timestamp?: string | undefined },
  rawBody: string | Buffer,
  now = Date.now(),
): SignatureCheck {
  const { signature, timestamp } = headers;
  if (!signature || !timestamp) return { ok: false, reason: 'missing' };
  const sentAt = Date.parse(timestamp);
  if (Number.isNaN(sentAt) || Math.abs(now - sentAt) > MAX_WEBHOOK_AGE_MS) return { ok: false, reason: 'stale' };
  const expected = Buffer.from(zendeskSignature(secret, timestamp, rawBody));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'mismatch' };
  return { ok: true };
}
