import type { WebClient } from '@slack/web-api';
import type { Job } from 'agenda';
import type { z } from 'zod';
import type { DomainContext } from '../domain/domain-context.ts';
import type { Logger } from '../lib/logger.ts';
import type { Mailer } from '../mail/mailer.ts';
import type { ZendeskClient } from '../zendesk/client.ts';

/** What every job handler may use: the domain's context plus the outside services it delivers to. */
export interface JobContext extends DomainContext {
  logger: Logger;
  /** Absent when Slack is not configured. */
  slack?: WebClient;
  /** Absent when Zendesk is not configured. */
  zendesk?: ZendeskClient;
  /** Absent when mail is off (no SMTP_URL). */
  mailer?: Mailer;
  /** The Slack user ids of the managers (MANAGER_SLACK_IDS), whose App Home has the managers' part. */
  managerSlackIds?: readonly string[];
}

export interface JobOptions {
  /** How many of this job one process runs at once. */
  concurrency?: number;
  /** How long a claim lasts before another worker may take the job over (ms). */
  lockLifetime?: number;
  priority?: number;
  /**
   * Delay before retry `attempt` (1-based) after `error`, or null to give up. Default:
   * exponential from 1 s to 5 min, 10 attempts. An error with a `retryAfterMs` (a 429's
   * Retry-After) waits at least that long.
   */
  retryDelay?: (attempt: number, error: Error) => number | null;
}

/**
 * One kind of job: its name, the shape of its payload, and a handler. Handlers must be
 * idempotent: re-read the state and claim it atomically before acting, so a late or
 * repeated run does nothing.
 */
export interface JobDefinition<S extends z.ZodType = z.ZodType> {
  name: string;
  payload: S;
  handler: (ctx: JobContext, payload: z.infer<S>, job: Job<unknown>) => Promise<void>;
  options?: JobOptions;
}

export function defineJob<S extends z.ZodType>(definition: JobDefinition<S>): JobDefinition<S> {
  return definition;
}

/** A payload that can never become valid: retrying it is pointless. */
export class InvalidJobPayloadError extends Error {
  override readonly name = 'InvalidJobPayloadError';
}

export function defaultRetryDelay(attempt: number, error: Error): number | null {
  if (error instanceof InvalidJobPayloadError) return null;
  if (attempt > 10) return null;
  const exponential = Math.min(1000 * 2 ** (attempt - 1), 5 * 60_000);
  const retryAfter = (error as { retryAfterMs?: unknown }).retryAfterMs;
  return typeof retryAfter === 'number' && retryAfter > exponential ? retryAfter : exponential;
}
