import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listDeadLetters } from '../../src/jobs/sequelize-backend/dead-letters.ts';
import { startTestApp, type TestApp } from '../support/start-test-app.ts';
import { TEST_ENGINE } from '../support/test-database.ts';
import { sleep, waitFor } from '../support/wait-for.ts';

/** Work given up for good is told to the managers once per cause, and never holds up the rest. */
describe(`dead letters in the running server, on ${TEST_ENGINE}`, () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  const deadLetterAlerts = () => app.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === 'C0MGRS001' && c.status === 200 && String(c.args.text).includes('Helpnet gave up'));

  it('alerts the managers once for deliveries that fail alike, and files the next ticket as usual', async () => {
    const requester = { name: 'Vera Kowalczyk', email: 'vera@customer.example' };
    const poisoned = [app.zendesk.addTicket({ description: 'Unreadable one', requester, tags: ['ms-exchange'] }), app.zendesk.addTicket({ description: 'Unreadable two', requester, tags: ['ms-exchange'] })];
    // Zendesk refuses to read both tickets in a way no retry fixes (422).
    app.zendesk.http.inject('GET /api/v2/tickets/:id', { kind: 'status', status: 422, body: { error: 'Unprocessable' } }, 2);
    for (const zd of poisoned) expect((await app.zendeskWebhooks.send({ ticket: { id: String(zd.id) } })).status).toBe(200);
    await waitFor(async () => (await listDeadLetters(app.server.db.sequelize)).length === 2, 'both deliveries given up');

    const alert = await waitFor(() => deadLetterAlerts()[0], 'the managers alerted');
    expect(String(alert.args.text)).toContain('`inbound.process`');
    expect(String(alert.args.text)).toContain('Zendesk answered 422');
    expect(String(alert.args.text)).toContain('npm run helpnet -- jobs failed');

    // The work behind them goes on.
    const fine = app.zendesk.addTicket({ description: 'Shared mailbox is read-only', requester, tags: ['ms-exchange'] });
    await app.zendeskWebhooks.send({ ticket: { id: String(fine.id) } });
    await waitFor(() => app.server.db.models.Ticket.findOne({ where: { source: 'zendesk', externalId: String(fine.id) } }), 'the next ticket filed');
    await sleep(500);
    expect(deadLetterAlerts()).toHaveLength(1);
  });
});

describe('what a dead-letter alert may show of an error', () => {
  it('never a customer’s address or phone number, which an error can quote', async () => {
    const { redacted } = await import('../../src/domain/alerts/alert-dead-letter.ts');
    expect(redacted('the mail server refused: 550 5.1.1 <nora.limit@customer.example>: Recipient address rejected')).toBe('the mail server refused: 550 5.1.1 <(an address)>: Recipient address rejected');
    expect(redacted('could not text +44 20 7946 0958 today')).toBe('could not text (a number) today');
    expect(redacted('Zendesk answered 422 (ticket 123)')).toBe('Zendesk answered 422 (ticket 123)');
  });
});
