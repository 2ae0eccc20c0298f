import { createHash } from 'node:crypto';
import type { Transaction } from 'sequelize';
import { escapeMrkdwn } from '../../lib/mrkdwn.ts';
import type { DomainContext } from '../domain-context.ts';
import { alertManagers } from './alert-managers.ts';

/** A job given up for good (see jobs/sequelize-backend/dead-letters.ts). */
export interface DeadLetterReport {
  id: string;
  name: string;
  failCount: number;
  error: { name: string; message: string };
  /** The failing work told the managers itself, more precisely than this would. */
  managersTold?: boolean;
}

/**
 * Tells the managers that work was given up, once per cause: the kind of job and its error
 * with the numbers (ids, counts) taken out, so a hundred messages failing alike make one
 * alert, and a new kind of failure makes another. True when this call alerted.
 */
export async function alertDeadLetter(ctx: DomainContext, transaction: Transaction, letter: DeadLetterReport): Promise<boolean> {
  if (letter.managersTold) return false;
  const cause = `${letter.name}:${letter.error.name}:${letter.error.message.replace(/\d+/g, '#')}`;
  const onceKey = `dead-letter:${createHash('sha256').update(cause).digest('hex').slice(0, 40)}`;
  const text =
    `:warning: Helpnet gave up a \`${escapeMrkdwn(letter.name)}\` job after ${letter.failCount} ${letter.failCount === 1 ? 'try' : 'tries'}: ` +
    `\`${escapeMrkdwn(redacted(letter.error.message).slice(0, 500))}\`. Other work goes on. ` +
    `Run \`npm run helpnet -- jobs failed\` to see every job given up, and \`jobs retry ${escapeMrkdwn(letter.id)}\` once the cause is fixed. ` +
    'Further failures of this kind are not announced again.';
  return alertManagers(ctx, transaction, onceKey, { kind: 'notice', text }, { job: letter.name, jobId: letter.id, error: letter.error.message.slice(0, 500) });
}

/**
 * An error as the managers' channel may show it: an error can quote whom it was about (a
 * mail server refusing a customer's address), and no customer's contact may reach Slack.
 * The whole error stays in `npm run helpnet -- jobs failed`, on the operator's terminal.
 */
export function redacted(message: string): string {
  return message.replace(/[^\s<>"'@]+@[^\s<>"'@]+/g, '(an address)').replace(/\+?\d[\d\s().-]{6,}\d/g, (run) => (run.replace(/\D/g, '').length >= 7 ? '(a number)' : run));
}
