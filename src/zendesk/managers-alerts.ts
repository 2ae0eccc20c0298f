import { UniqueConstraintError, type Transaction } from 'sequelize';
import { WORK, type DomainContext } from '../domain/domain-context.ts';
import { escapeMrkdwn } from '../lib/mrkdwn.ts';

export type ManagersAlert =
  /** A Zendesk ticket no category matches (rendered by the unroutable alert). */
  | { kind: 'unroutable'; reference: string; reason: string }
  /** Anything else, as written: escape what came from outside. */
  | { kind: 'notice'; text: string };

/**
 * Posts an alert to the managers' channel, once per `onceKey`: the first call for a key
 * records it, in the caller's transaction, as a row of `inbound_events` (source `zendesk`,
 * dedupe key `alert:…`) whose unique index makes concurrent callers agree on one alert.
 * The alert's Slack post is queued in the same transaction. True when this call alerted.
 */
export async function alertManagersOnce(ctx: DomainContext, transaction: Transaction, onceKey: string, alert: ManagersAlert, about: Record<string, unknown>): Promise<boolean> {
  const { InboundEvent, SlackMessage } = ctx.db.models;
  const dedupeKey = `alert:${onceKey}`;
  if (await InboundEvent.findOne({ where: { source: 'zendesk', dedupeKey }, attributes: ['id'], transaction })) return false;
  // In a savepoint, so that losing to a concurrent claim leaves the caller's transaction
  // usable. (Unmanaged: a managed transaction must not start inside another.)
  const savepoint = await ctx.db.sequelize.transaction({ transaction });
  try {
    await InboundEvent.create({ source: 'zendesk', dedupeKey, payload: JSON.stringify({ alert: alert.kind, ...about }), status: 'processed', processedAt: ctx.now() }, { transaction: savepoint });
    await savepoint.commit();
  } catch (err) {
    await savepoint.rollback();
    if (err instanceof UniqueConstraintError) return false;
    throw err;
  }
  const message = await SlackMessage.create(
    alert.kind === 'unroutable'
      ? {
          ticketId: null,
          purpose: 'unroutable_alert',
          channel: ctx.routing.managersChannel,
          expertId: null,
          details: JSON.stringify({ source: 'Zendesk', reference: alert.reference, reason: alert.reason }),
        }
      : { ticketId: null, purpose: 'notice', channel: ctx.routing.managersChannel, expertId: null, details: JSON.stringify({ text: alert.text }) },
    { transaction },
  );
  await ctx.outbox.add(transaction, WORK.slackPost, { messageId: message.id });
  return true;
}

/** The managers' notice that Zendesk refused Helpnet's credentials or permissions. */
export function accessRefusedNotice(zendeskTicketId: number, status: number, error: string): string {
  const why = status === 401 ? 'Zendesk refused Helpnet’s credentials' : 'Zendesk does not let Helpnet’s user read it';
  return (
    `:warning: Helpnet could not read Zendesk ticket #${zendeskTicketId}: ${why} (\`${escapeMrkdwn(error)}\`). ` +
    'Check `ZENDESK_EMAIL` and `ZENDESK_API_TOKEN` (a rotated or revoked token) and that this user is an agent or admin who can see the ticket. ' +
    'Helpnet keeps retrying the delivery and goes on once Zendesk lets it read the ticket.'
  );
}
