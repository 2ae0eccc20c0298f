import { ConnectionError, TimeoutError } from 'sequelize';
import { isDeadlock } from '../../db/retry-deadlock.ts';
import { NotReadyError } from '../../lib/not-ready-error.ts';
import { PermanentMailError, RetryableMailError } from '../../mail/mailer.ts';
import { PermanentDeliveryError, RetryableDeliveryError } from '../../slack/delivery/slack-errors.ts';
import { PermanentZendeskError, RetryableZendeskError } from '../../zendesk/client.ts';

const MAX_DELAY_MS = 5 * 60_000;
const MAX_WAIT_MS = 60_000;

/**
 * Tries of a delivery that failed for a reason nobody recognised (a bug, data it cannot
 * handle) before it is given up as a dead letter: about eight minutes of backoff.
 */
export const MAX_UNEXPLAINED_ATTEMPTS = 10;

/**
 * When to try a delivery again. What a retry can fix — Slack, Zendesk or the mail server
 * busy, down, unreachable or refusing Helpnet's credentials, the database unreachable —
 * is retried until it succeeds: 1 s, 2 s, 4 s … then every 5 minutes, never sooner than a
 * Retry-After. A refusal retrying cannot fix stops at once, and a failure nobody
 * recognised stops after MAX_UNEXPLAINED_ATTEMPTS: both become dead letters an operator
 * sees (`npm run helpnet -- jobs failed`) and the managers are told of. A delivery waiting
 * on another (NotReadyError) tries again after the wait it asks for.
 */
export function deliveryRetryDelay(attempt: number, error: Error): number | null {
  if (error instanceof PermanentDeliveryError || error instanceof PermanentZendeskError || error instanceof PermanentMailError) return null;
  if (!(error instanceof NotReadyError) && !retryCanFix(error) && attempt >= MAX_UNEXPLAINED_ATTEMPTS) return null;
  return retryUntilDone(attempt, error);
}

/**
 * For work that must not be given up whatever the failure (an escalation: given up, a
 * ticket would stay at its tier, unseen by the next group and the managers): backs off as
 * deliveries do, to every 5 minutes, and never stops; each failure is logged.
 */
export function retryUntilDone(attempt: number, error: Error): number {
  // Waiting on something else (a thread's parent, another worker): soon at first, then less
  // often, so a wait that lasts (Slack down for an hour) does not spin.
  return error instanceof NotReadyError ? Math.max(error.waitMs, Math.min(250 * 2 ** Math.min(attempt - 1, 20), MAX_WAIT_MS)) : backoffOf(attempt, error);
}

function backoffOf(attempt: number, error: Error): number {
  const backoff = Math.min(1000 * 2 ** Math.min(attempt - 1, 20), MAX_DELAY_MS);
  const retryAfter = (error as { retryAfterMs?: unknown }).retryAfterMs;
  return typeof retryAfter === 'number' ? Math.max(retryAfter, Math.min(backoff, 1000)) : backoff;
}

function retryCanFix(error: Error): boolean {
  return (
    error instanceof RetryableDeliveryError ||
    error instanceof RetryableZendeskError ||
    error instanceof RetryableMailError ||
    error instanceof ConnectionError ||
    error instanceof TimeoutError ||
    isDeadlock(error)
  );
}
