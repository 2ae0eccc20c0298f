import type { Transaction } from 'sequelize';
import { WORK, type DomainContext } from '../domain-context.ts';

export type ManagersAlert =
  /** Something that came in no category matches (rendered by the unroutable alert). */
  | { kind: 'unroutable'; source: string; reference: string; reason: string }
  /** Anything else, as written: escape what came from outside. */
  | { kind: 'notice'; text: string };

/**
 * Posts an alert to the managers' channel, once per `onceKey`: the first call for a key
 * records it in manager_alerts, in the caller's transaction, and queues the post in the
 * same transaction; concurrent callers agree on one alert. `about` is kept with the key,
 * to say what it was about. True when this call alerted.
 */
export async function alertManagers(ctx: DomainContext, transaction: Transaction, onceKey: string, alert: ManagersAlert, about: Record<string, unknown>): Promise<boolean> {
  const now = ctx.now();
  if (!(await ctx.db.managerAlerts.takeOnceKey(onceKey, JSON.stringify({ alert: alert.kind, ...about }), { transaction, now }))) return false;
  const details =
    alert.kind === 'unroutable' ? { purpose: 'unroutable_alert' as const, details: JSON.stringify({ source: alert.source, reference: alert.reference, reason: alert.reason }) } : { purpose: 'notice' as const, details: JSON.stringify({ text: alert.text }) };
  const [messageId] = await ctx.db.slackMessages.add([{ ticketId: null, channel: ctx.routing.managersChannel, expertId: null, ...details }], { transaction, now });
  await ctx.outbox.add(transaction, WORK.slackPost, { messageId: messageId! });
  return true;
}
