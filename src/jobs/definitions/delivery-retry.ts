import { NotReadyError } from '../../lib/not-ready-error.ts';
import { PermanentMailError } from '../../mail/mailer.ts';
import { PermanentDeliveryError } from '../../slack/delivery/slack-errors.ts';
import { PermanentZendeskError } from '../../zendesk/client.ts';

const MAX_DELAY_MS = 5 * 60_000;
const MAX_WAIT_MS = 60_000;

/**
 * Deliveries retry until they succeed: 1 s, 2 s, 4 s … then every 5 minutes, never sooner
 * than a Retry-After. A refusal that retrying cannot fix stops them (a person is told);
 * a delivery waiting on another (NotReadyError) tries again after the wait it asks for.
 */
export function deliveryRetryDelay(attempt: number, error: Error): number | null {
  if (error instanceof PermanentDeliveryError || error instanceof PermanentZendeskError || error instanceof PermanentMailError) return null;
  // Waiting on something else (a thread's parent, another worker): soon at first, then less
  // often, so a wait that lasts (Slack down for an hour) does not spin.
  if (error instanceof NotReadyError) return Math.max(error.waitMs, Math.min(250 * 2 ** Math.min(attempt - 1, 20), MAX_WAIT_MS));
  const backoff = Math.min(1000 * 2 ** Math.min(attempt - 1, 20), MAX_DELAY_MS);
  const retryAfter = (error as { retryAfterMs?: unknown }).retryAfterMs;
  return typeof retryAfter === 'number' ? Math.max(retryAfter, Math.min(backoff, 1000)) : backoff;
}
