import type { DomainContext } from '../domain/domain-context.ts';
import type { Logger } from '../lib/logger.ts';
import type { ZendeskClient } from './client.ts';

/**
 * What the Zendesk adapter works with: the domain's context, plus the Zendesk client it
 * talks to and a logger. Job handlers that read or write Zendesk pass their own context,
 * which has these too.
 */
export interface ZendeskContext extends DomainContext {
  /** Absent when Zendesk is off: the jobs that need it wait for it. */
  zendesk?: ZendeskClient;
  logger: Logger;
}
