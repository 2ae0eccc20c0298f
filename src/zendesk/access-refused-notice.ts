import { escapeMrkdwn } from '../lib/mrkdwn.ts';

/** The managers' notice that Zendesk refused Helpnet's credentials or permissions. */
export function accessRefusedNotice(zendeskTicketId: number, status: number, error: string): string {
  const why = status === 401 ? 'Zendesk refused Helpnet’s credentials' : 'Zendesk does not let Helpnet’s user read it';
  return (
    `:warning: Helpnet could not read Zendesk ticket #${zendeskTicketId}: ${why} (\`${escapeMrkdwn(error)}\`). ` +
    'Check `ZENDESK_EMAIL` and `ZENDESK_API_TOKEN` (a rotated or revoked token) and that this user is an agent or admin who can see the ticket. ' +
    'Helpnet keeps retrying the delivery and goes on once Zendesk lets it read the ticket.'
  );
}
