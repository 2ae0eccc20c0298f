import { ErrorCode } from '@slack/web-api';
import { NotReadyError } from '../../lib/not-ready-error.ts';

/** A delivery failure worth retrying; `retryAfterMs` is Slack's Retry-After when it sent one. */
export class RetryableDeliveryError extends Error {
  override readonly name = 'RetryableDeliveryError';
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** How often a post waiting for Slack to be configured looks again (a restart with Slack on sends at once). */
export const SLACK_OFF_WAIT_MS = 10 * 60_000;

/**
 * Slack is not configured (no SLACK_BOT_TOKEN): the post waits, as on any other thing not
 * ready yet, without a warning each time; the server says once at start that posts wait
 * (server.ts), and sends them as soon as it starts with Slack on (wakeWaitingForSlack).
 */
export class SlackNotConfiguredError extends NotReadyError {
  static readonly MESSAGE = 'Slack is not configured: waiting until it is';
  constructor() {
    super(SlackNotConfiguredError.MESSAGE, SLACK_OFF_WAIT_MS);
  }
}

/** A failure retrying cannot fix (bad channel, invalid blocks, revoked token): a person must act. */
export class PermanentDeliveryError extends Error {
  override readonly name = 'PermanentDeliveryError';
  /** The delivery tells the managers itself, naming the channel or expert (see giveUp): no dead-letter alert too. */
  readonly managersTold = true;
  constructor(readonly slackError: string) {
    super(`Slack refused the message: ${slackError}`);
  }
}

/** Slack errors that are about Slack's side and pass. */
const TRANSIENT_PLATFORM_ERRORS = new Set(['ratelimited', 'internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);

/**
 * Slack refusing Helpnet itself — its token or the app's scopes — rather than the message:
 * an operator fixes that (a rotated token, a scope to add), and the managers cannot even be
 * told in Slack meanwhile, so deliveries wait and retry instead of being given up.
 */
const CREDENTIAL_ERRORS = new Set(['invalid_auth', 'not_authed', 'token_revoked', 'token_expired', 'account_inactive', 'missing_scope', 'no_permission', 'team_access_not_granted', 'org_login_required', 'ekm_access_denied']);

/** The Slack Web API error code of a platform error (`{ok:false,error}`), if that is what it is. */
export function slackErrorCode(err: unknown): string | undefined {
  const e = err as { code?: string; data?: { error?: string } };
  return e.code === ErrorCode.PlatformError ? (e.data?.error ?? 'unknown_error') : undefined;
}

/**
 * Slack answered, and said no for a reason that will not pass by itself (anything but a
 * rate limit or an error on Slack's side): for a look-up a caller can do without, that
 * means doing without, not waiting.
 */
export function isSlackRefusal(err: unknown): boolean {
  const code = slackErrorCode(err);
  return code !== undefined && !TRANSIENT_PLATFORM_ERRORS.has(code);
}

/** Maps what @slack/web-api threw to retry-or-not. */
export function classifySlackError(err: unknown): RetryableDeliveryError | PermanentDeliveryError {
  const e = err as { code?: string; retryAfter?: number; statusCode?: number; data?: { error?: string }; message?: string };
  if (e.code === ErrorCode.RateLimitedError) return new RetryableDeliveryError('Slack rate limit', (e.retryAfter ?? 1) * 1000);
  if (e.code === ErrorCode.HTTPError) return new RetryableDeliveryError(`Slack answered HTTP ${e.statusCode ?? '?'}`);
  if (e.code === ErrorCode.RequestError) return new RetryableDeliveryError(`could not reach Slack: ${e.message ?? 'network error'}`);
  if (e.code === ErrorCode.PlatformError) {
    const code = e.data?.error ?? 'unknown_error';
    if (CREDENTIAL_ERRORS.has(code)) return new RetryableDeliveryError(`Slack refuses Helpnet's credentials (${code}): check SLACK_BOT_TOKEN and the app's scopes`);
    return TRANSIENT_PLATFORM_ERRORS.has(code) ? new RetryableDeliveryError(`Slack error ${code}`) : new PermanentDeliveryError(code);
  }
  return new RetryableDeliveryError(e.message ?? String(err));
}

