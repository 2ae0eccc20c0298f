import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ticket, TicketAlias } from '../../src/db/models/index.ts';
import { createQualifiedExpert } from '../support/experts.ts';
import { startTestApp, type TestApp } from '../support/start-test-app.ts';
import { TEST_ENGINE } from '../support/test-database.ts';
import { testRouting } from '../support/test-routing.ts';
import { waitFor } from '../support/wait-for.ts';
import { slackPeople } from './support.ts';

const REQUESTER = { name: 'Greta Sharer', email: 'greta@customer.example', phone: '+44 20 7946 0111' };
const COLLEAGUE = { name: 'Colin Copied', email: 'colin.copied@customer.example', phone: '+1 415 555 0142' };

describe(`a category that shares the customer's contact, on ${TEST_ENGINE}`, () => {
  let app: TestApp;
  beforeAll(async () => {
    const routing = testRouting();
    routing.categories = routing.categories.map((c) => (c.key === 'ms-exchange' ? { ...c, shareCustomerContact: true } : c));
    app = await startTestApp({ routing });
  });
  afterAll(async () => {
    await app.close();
  });

  it('passes the customer’s own signature on, but still scrubs a colleague copied on the Zendesk ticket', async () => {
    const people = slackPeople(app);
    const expert = await createQualifiedExpert('exchange-l1', 'ms-exchange', { name: 'Hana Helper' });
    const zd = app.zendesk.addTicket({ description: 'The room calendar declines every booking.', requester: REQUESTER, tags: ['ms-exchange'] });
    await app.zendeskWebhooks.send({ ticket: { id: String(zd.id), updated_at: zd.updated_at } });
    const ticket = await waitFor(() => Ticket.findOne({ where: { source: 'zendesk', externalId: String(zd.id) } }), 'the ticket');
    await people.book(expert, ticket.id);
    const thread = await people.expertThread(expert, ticket.id);
    const customerAlias = (await TicketAlias.findOne({ where: { ticketId: ticket.id, side: 'customer' }, rejectOnEmpty: true })).name;

    const colleague = app.zendesk.addUser(COLLEAGUE);
    app.zendesk.addComment(zd.id, { author_id: zd.requester_id, body: 'Call me any time. Greta Sharer, +44 20 7946 0111' });
    app.zendesk.addComment(zd.id, { author_id: colleague.id, body: 'Same for me. Colin Copied, +1 415 555 0142, colin.copied@customer.example' });
    await app.zendeskWebhooks.send({ ticket: { id: String(zd.id), updated_at: app.zendesk.tickets.get(zd.id)!.updated_at } });
    await waitFor(() => people.replies(thread).some((m) => m.text?.includes('Same for me')), 'the colleague’s reply');

    const replies = people.replies(thread).map((m) => m.text ?? '');
    // The category shares the customer's contact: their own words reach the expert as written.
    expect(replies).toContain(`*Customer ${customerAlias}:* Call me any time. Greta Sharer, +44 20 7946 0111`);
    // Not a colleague's: theirs is scrubbed as everywhere else.
    expect(replies).toContain(`*Customer ${customerAlias}:* Same for me. ${customerAlias}, ${customerAlias}, ${customerAlias}`);
    const toExpert = JSON.stringify(app.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === expert.slackUserId));
    expect(toExpert).not.toMatch(/Colin|Copied|colin\.copied|415 555 0142/);
  });
});
