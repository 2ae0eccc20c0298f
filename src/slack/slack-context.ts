import type { WebClient } from '@slack/web-api';
import type { DomainContext } from '../domain/domain-context.ts';
import type { Logger } from '../lib/logger.ts';

/**
 * What the Slack adapter works with: the domain's context, plus the Slack client it talks
 * to and a logger. Listeners get theirs from the composition root; job handlers that post
 * or read Slack pass their own context, which has these too.
 */
export interface SlackContext extends DomainContext {
  /** Absent when Slack is off: delivery jobs still run, and wait for it. */
  slack?: WebClient;
  logger: Logger;
  /** The Slack user ids of the managers (MANAGER_SLACK_IDS): who may press managers' buttons. Absent: no one. */
  managerSlackIds?: readonly string[];
}
