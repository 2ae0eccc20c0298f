import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TicketAlias, TicketMessage } from '../../src/db/models/index.ts';
import { createQualifiedExpert } from '../support/experts.ts';
import { startTestApp, type TestApp } from '../support/start-test-app.ts';
import { TEST_ENGINE } from '../support/test-database.ts';
import { waitFor } from '../support/wait-for.ts';
import { slackPeople } from '../relay/support.ts';

describe(`the widget shows a customer their own words, on ${TEST_ENGINE}`, () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('answers and lists the customer’s messages as they wrote them, while the expert gets them scrubbed — and the expert’s only scrubbed', async () => {
    const filed = await fetch(`${app.url}/api/widget/tickets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '10.88.0.1' },
      body: JSON.stringify({ name: 'Mona Message', email: 'mona@customer.example', phone: '+44 20 7946 0321', category: 'ms-exchange', description: 'Outlook search finds nothing older than a week.' }),
    });
    const { ticket: publicId, token } = (await filed.json()) as { ticket: string; token: string };
    const ticketId = Number(publicId.slice(3));
    const api = `${app.url}/api/widget/tickets/${publicId}/messages`;
    const auth = { authorization: `Bearer ${token}` };
    const written = 'It is Mona Message here — mona@customer.example, 020 7946 0321.';

    const posted = await fetch(api, { method: 'POST', headers: { ...auth, 'content-type': 'application/json', 'x-forwarded-for': '10.88.0.2' }, body: JSON.stringify({ text: written }) });
    expect(posted.status).toBe(201);
    expect(((await posted.json()) as { message: { text: string } }).message.text).toBe(written);
    const listed = async () => ((await (await fetch(api, { headers: auth })).json()) as { messages: { from: string; text: string }[] }).messages;
    expect((await listed()).filter((m) => m.from === 'you').map((m) => m.text)).toEqual([written]);

    // Stored both ways; the expert who books gets only the scrubbed text.
    const alias = (await TicketAlias.findOne({ where: { ticketId, side: 'customer' }, rejectOnEmpty: true })).name;
    const stored = await TicketMessage.findOne({ where: { ticketId, side: 'customer' }, rejectOnEmpty: true });
    expect(stored.body).toBe(`It is ${alias} here — ${alias}, ${alias}.`);
    expect(stored.originalBody).toBe(written);
    const people = slackPeople(app);
    const expert = await createQualifiedExpert('exchange-l1', 'ms-exchange', { name: 'Priya Raman' });
    await people.book(expert, ticketId);
    const thread = await people.expertThread(expert, ticketId);
    const replayed = await waitFor(() => people.replies(thread).find((m) => m.text?.includes('here —')), 'the customer’s message in the expert’s thread');
    expect(replayed.text).toBe(`*Customer ${alias}:* It is ${alias} here — ${alias}, ${alias}.`);
    expect(JSON.stringify(app.slack.callsTo('chat.postMessage').map((c) => c.args))).not.toMatch(/Mona|mona@|0321/);

    // The expert's words reach the customer scrubbed, in the widget too.
    await people.dm(expert.slackUserId!, 'Priya here: rebuild the index, please.', { threadTs: thread.ts });
    const expertAlias = (await TicketAlias.findOne({ where: { ticketId, side: 'expert' }, rejectOnEmpty: true })).name;
    const fromExpert = await waitFor(async () => (await listed()).find((m) => m.from === 'expert'), 'the expert’s message in the widget');
    expect(fromExpert.text).toBe(`${expertAlias} here: rebuild the index, please.`);
  });
});
