import type { Transaction } from 'sequelize';
import type { Routing } from '../config/routing.ts';
import type { DatabaseAccess } from '../db/database.ts';
import type { SurveyLinks } from './surveys/survey-token.ts';
import type { AccountLinks } from './accounts/account-links.ts';

/** Background work a use case implies, by job name (see jobs/definitions). */
export const WORK = {
  slackPost: 'slack.post',
  slackUpdate: 'slack.update',
  escalate: 'ticket.escalate',
  noteSource: 'ticket.note-source',
  processInbound: 'inbound.process',
  completeBooking: 'ticket.complete-booking',
  relayZendesk: 'relay.zendesk',
  relayEmail: 'relay.email',
  readRequesterProfile: 'ticket.read-requester-profile',
  surveyStep: 'survey.step',
  zendeskStatus: 'zendesk.sync-status',
  homePublish: 'home.publish',
  homeFanOut: 'home.fan-out',
  accountEmail: 'account.email',
} as const;
export type WorkName = (typeof WORK)[keyof typeof WORK];

/**
 * Work written in the same transaction as the rows it concerns: it happens if and only if
 * the transaction commits. Implemented by the jobs layer; the domain only names the work.
 */
export interface Outbox {
  add(transaction: Transaction, work: WorkName, payload: Record<string, unknown>, opts?: { runAt?: Date; coalesce?: Coalesce }): Promise<void>;
}

/**
 * One job per value of a payload field (`by`): adding it again while one is waiting updates
 * that one instead of queueing another. With `debounceMs`, it runs that long after the last
 * add of a burst (at most `maxWaitMs` after the first); without, it runs now.
 */
export interface Coalesce {
  by: string;
  debounceMs?: number;
  maxWaitMs?: number;
}

export interface DomainContext {
  db: DatabaseAccess;
  outbox: Outbox;
  routing: Routing;
  /** Survey links, derived from the server's secret (see surveys/survey-token.ts). */
  surveyLinks: SurveyLinks;
  /** Portal accounts' email-confirmation links, derived from the same secret (see accounts/account-links.ts). */
  accountLinks: AccountLinks;
  /** The one clock (tests may pass their own). */
  now(): Date;
}
