import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ticket, type Expert } from '../../src/db/models/index.ts';
import { toPlainText } from '../../src/lib/plain-text.ts';
import { escapeMrkdwn } from '../../src/lib/mrkdwn.ts';
import { slackTextToPlain } from '../../src/slack/inbound/slack-text.ts';
import type { PostedMessage } from '../support/fake-slack.ts';
import { createQualifiedExpert } from '../support/experts.ts';
import { startTestApp, type TestApp } from '../support/start-test-app.ts';
import { TEST_ENGINE } from '../support/test-database.ts';
import { waitFor } from '../support/wait-for.ts';
import { slackPeople } from './support.ts';

/**
 * Any text a person (or a broken client) can send — every plane of Unicode, NUL, lone
 * surrogates, right-to-left marks, 4,000-character mixes — through the three ways text
 * comes in: nothing answers 5xx, what is accepted reaches the other side as text, and the
 * messages after it still flow.
 */
const specials = fc.constantFrom(
  'before\u0000after',
  '\u0000',
  'half an emoji \uD83D here',
  '\uDE00 a low half first',
  'עברית \u200F mixed with English \u202E reversed',
  'zero\u200Dwidth\u200Bjoiners and \uFEFF',
  'tabs\tand\r\nwindows\rlines',
  '<!channel> <@U0123> &amp; <https://evil.example|click>',
  Array.from({ length: 4000 }, (_, i) => ['a', 'é', '中', '😀', '\u0000', ' ', '\n', '<', '&'][i % 9]).join('').slice(0, 4000),
);
const hostile = fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ unit: 'grapheme', maxLength: 100 }), specials);

describe(`hostile text through every way in, on ${TEST_ENGINE}`, () => {
  let app: TestApp;
  let people: ReturnType<typeof slackPeople>;
  let expert: Expert;
  let widget: { id: string; token: string; thread: PostedMessage };
  // A JSON POST to the app, as the widget sends it.
  const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${app.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    return { status: res.status, json: (await res.json().catch(() => ({}))) as Record<string, string> };
  };
  beforeAll(async () => {
    app = await startTestApp();
    people = slackPeople(app);
    expert = await createQualifiedExpert('exchange-l1', 'ms-exchange', { name: 'Hedda Vantongeren', email: 'hedda@experts.example' });
    const filed = await post('/api/widget/tickets', { name: 'Quillon Zabrowski', email: 'quillon@customer.example', category: 'ms-exchange', description: 'Mail to one domain bounces.' });
    expect(filed.status).toBe(201);
    const ticketId = Number(filed.json.ticket!.slice(3));
    await people.book(expert, ticketId);
    widget = { id: filed.json.ticket!, token: filed.json.token!, thread: await people.expertThread(expert, ticketId) };
  });
  afterAll(async () => {
    await app.close();
  });

  let address = 0;
  const say = (text: string) => post(`/api/widget/tickets/${widget.id}/messages`, { text }, { authorization: `Bearer ${widget.token}`, 'x-forwarded-for': `10.77.${Math.floor(++address / 200)}.${address % 200}` });
  const conversation = async () => {
    const res = await fetch(`${app.url}/api/widget/tickets/${widget.id}/messages`, { headers: { authorization: `Bearer ${widget.token}` } });
    expect(res.status).toBe(200);
    return ((await res.json()) as { messages: { from: string; text: string }[] }).messages;
  };

  it('widget → expert: never 5xx; an accepted message reaches the expert’s thread as written', async () => {
    await fc.assert(
      fc.asyncProperty(hostile, async (text) => {
        const res = await say(text);
        expect(res.status).toBeLessThan(500);
        const expected = toPlainText(text.trim()).trim();
        if (res.status !== 201) {
          // Refused only for a reason the customer is told: nothing to say, or too long.
          expect(res.status).toBe(400);
          expect(expected === '' || text.trim().length > 4000).toBe(true);
          return;
        }
        const shown = escapeMrkdwn(expected);
        await waitFor(() => people.replies(widget.thread).some((m) => (m.text ?? '').endsWith(shown)), 'the message in the expert’s thread');
      }),
      { numRuns: 25 },
    );
  });

  it('expert in Slack → widget customer: never 5xx; an accepted reply reaches the customer as written', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(hostile, async (typed) => {
        // What Slack sends for what the expert typed: its three special characters escaped.
        const marker = `[${++n}]`;
        const event = `${marker} ${escapeMrkdwn(typed)}`;
        const res = await people.dm(expert.slackUserId!, event, { threadTs: widget.thread.ts });
        expect(res.status).toBeLessThan(500);
        const expected = toPlainText(slackTextToPlain(event)).trim();
        const mine = (m: { from: string; text: string }) => m.from !== 'you' && (m.text === marker || m.text.startsWith(`${marker} `));
        const got = await waitFor(async () => (await conversation()).find(mine), 'the reply in the widget');
        expect(got.text).toBe(expected);
      }),
      { numRuns: 25 },
    );
  });

  it('Zendesk → Helpnet: never 5xx; a ticket with any description is filed with it as written, and posted', async () => {
    const requester = { name: 'Ottilie Brandvold', email: 'ottilie@customer.example' };
    await fc.assert(
      fc.asyncProperty(hostile, hostile, async (description, comment) => {
        const zd = app.zendesk.addTicket({ description, requester, tags: ['ms-exchange'] });
        const res = await app.zendeskWebhooks.send({ ticket: { id: String(zd.id) } });
        expect(res.status).toBe(200);
        const ticket = await waitFor(() => Ticket.findOne({ where: { source: 'zendesk', externalId: String(zd.id) } }), 'the ticket filed');
        expect(ticket.description).toBe(toPlainText(description));
        await waitFor(() => app.slack.messages.some((m) => m.channel === 'C0EXCH001' && JSON.stringify(m.blocks ?? '').includes(`*HN-${ticket.id}*`)), 'the channel post');
        // A comment with any text is read into the transcript, and does not hold up the next one.
        app.zendesk.addComment(zd.id, { author_id: zd.requester_id, body: comment });
        app.zendesk.addComment(zd.id, { author_id: zd.requester_id, body: 'And a plain follow-up.' });
        // A later change of the ticket: Zendesk's next delivery (signed a second later, as the trigger body repeats).
        expect((await app.zendeskWebhooks.send({ ticket: { id: String(zd.id) } }, { timestamp: new Date(Date.now() + 1000) })).status).toBe(200);
        await waitFor(() => app.server.db.models.TicketMessage.findOne({ where: { ticketId: ticket.id, body: 'And a plain follow-up.' } }), 'the follow-up comment read');
      }),
      { numRuns: 10 },
    );
  }, 120_000);

  it('still relays plain messages both ways afterwards', async () => {
    expect((await say('Is it fixed now?')).status).toBe(201);
    await waitFor(() => people.replies(widget.thread).some((m) => (m.text ?? '').endsWith('Is it fixed now?')), 'the plain message in Slack');
    await people.dm(expert.slackUserId!, 'Yes, try again please.', { threadTs: widget.thread.ts });
    await waitFor(async () => (await conversation()).some((m) => m.text === 'Yes, try again please.'), 'the plain reply in the widget');
  });
});
