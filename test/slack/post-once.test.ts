import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SlackMessage, Ticket } from '../../src/db/models/index.ts';
import { createQualifiedExpert } from '../support/experts.ts';
import { startTestApp, type TestApp } from '../support/start-test-app.ts';
import { TEST_ENGINE } from '../support/test-database.ts';
import { sleep, waitFor } from '../support/wait-for.ts';
import { fileWidgetTicket } from '../support/tickets.ts';
import { slackPeople } from '../relay/support.ts';

/**
 * Slack offers no idempotency key: when a post's answer is lost (a time-out, a dropped
 * connection, a crash) Slack may have it. The fake's `dropAfterReply` carries the post out
 * and drops the connection before answering; the retry must find the message, not post it again.
 */
describe(`Slack posts whose answer was lost are not posted twice, on ${TEST_ENGINE}`, () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.close();
  });
  beforeEach(() => {
    app.slack.http.clearFaults();
  });

  const file = (description: string) => fileWidgetTicket(app.server.services, { description, customer: { name: 'Olga Once', email: `olga.${Math.random()}@customer.example` } });
  const inChannel = (channel: string, ticketId: number) => app.slack.messages.filter((m) => m.channel === channel && !m.thread_ts && JSON.stringify(m.blocks ?? '').includes(`HN-${ticketId}`));

  it('a ticket post and a page whose answers were lost are each posted once, and recorded with their ts', async () => {
    const expert = await createQualifiedExpert('exchange-l1', 'ms-exchange', { score: 9 });
    // The channel post, then the page: both reach Slack, neither answer reaches Helpnet.
    app.slack.http.inject('chat.postMessage', { kind: 'dropAfterReply' }, 2);
    const ticket = await file('Shared mailbox permissions vanish after a migration.');
    const posted = await waitFor(async () => {
      const rows = await SlackMessage.findAll({ where: { ticketId: ticket.id, purpose: ['dispatch', 'page'] } });
      return rows.length === 2 && rows.every((r) => r.status === 'sent') ? rows : undefined;
    }, 'both recorded as sent', 15_000);
    await sleep(500);
    expect(inChannel('C0EXCH001', ticket.id)).toHaveLength(1);
    expect(inChannel(expert.slackUserId!, ticket.id)).toHaveLength(1);
    expect(posted.find((r) => r.purpose === 'dispatch')!.ts).toBe(inChannel('C0EXCH001', ticket.id)[0]!.ts);
    expect(posted.find((r) => r.purpose === 'page')!.ts).toBe(inChannel(expert.slackUserId!, ticket.id)[0]!.ts);
    expect(posted.every((r) => r.postUnconfirmedAt === null)).toBe(true);
    // Found by the metadata every post carries; the page's DM through its conversation id.
    expect(app.slack.callsTo('conversations.history').length).toBeGreaterThanOrEqual(2);
    expect(app.slack.callsTo('conversations.open').length).toBeGreaterThanOrEqual(1);
  });

  it('a reply in a ticket thread whose answer was lost is posted once, in order', async () => {
    const people = slackPeople(app);
    const expert = await createQualifiedExpert('exchange-l1', 'ms-exchange');
    const ticket = await file('Calendar sharing fails between two tenants.');
    await people.book(expert, ticket.id);
    const thread = await people.expertThread(expert, ticket.id);
    const before = people.replies(thread).length;
    app.slack.http.inject('chat.postMessage', { kind: 'dropAfterReply' });
    const { receiveMessage } = await import('../../src/domain/relay/receive-message.ts');
    await app.server.db.unitOfWork(async (transaction) => {
      const fresh = await Ticket.findByPk(ticket.id, { transaction, rejectOnEmpty: true });
      for (const body of ['First: which tenant?', 'Second: both are ours.']) {
        await receiveMessage(app.server.services, transaction, { ticketId: fresh.id, from: { side: 'customer' }, body, via: 'widget', sourceKey: `widget:${ticket.id}:${body}` });
      }
    });
    await waitFor(() => people.replies(thread).length >= before + 2, 'both replies', 15_000);
    await sleep(500);
    const texts = people.replies(thread).slice(before).map((m) => m.text ?? '');
    expect(texts).toHaveLength(2);
    expect(texts[0]).toContain('First: which tenant?');
    expect(texts[1]).toContain('Second: both are ours.');
    expect(app.slack.callsTo('conversations.replies').length).toBeGreaterThanOrEqual(1);
  });

  it('posts a message Slack refused for Helpnet’s credentials once they work again, instead of giving it up', async () => {
    const refused = { kind: 'status' as const, status: 200, body: { ok: false, error: 'invalid_auth' } };
    app.slack.http.inject('chat.postMessage', refused, 2);
    const ticket = await file('VPN drops every ten minutes.');
    await waitFor(() => inChannel('C0EXCH001', ticket.id).length === 1, 'the post, once the token works', 15_000);
    // Recorded a moment after Slack answered.
    const row = await waitFor(async () => {
      const r = await SlackMessage.findOne({ where: { ticketId: ticket.id, purpose: 'dispatch' } });
      return r?.status === 'sent' ? r : undefined;
    }, 'the post recorded as sent');
    // A refusal is an answer: nothing to look for before trying again.
    expect(app.slack.callsTo('conversations.history').filter((c) => c.args.channel === 'C0EXCH001' && c.at > row.createdAt)).toHaveLength(0);
    // And no managers' alert about a message given up.
    expect(await SlackMessage.count({ where: { ticketId: ticket.id, purpose: 'delivery_alert' } })).toBe(0);
  });

  it('still posts when it may not look (a public channel it was never invited to): once, at worst twice, never lost', async () => {
    app.slack.http.inject('chat.postMessage', { kind: 'dropAfterReply' });
    app.slack.http.inject('conversations.history', { kind: 'status', status: 200, body: { ok: false, error: 'not_in_channel' } });
    const ticket = await file('Printer queue is stuck.');
    await waitFor(async () => (await SlackMessage.findOne({ where: { ticketId: ticket.id, purpose: 'dispatch' } }))?.status === 'sent', 'recorded as sent', 15_000);
    expect(inChannel('C0EXCH001', ticket.id).length).toBeGreaterThanOrEqual(1);
  });
});

describe(`the Zendesk note whose answer was lost is written once, on ${TEST_ENGINE}`, () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('looks for the note before sending it again', async () => {
    const zd = app.zendesk.addTicket({ subject: 'Sync', description: 'Mobile mail stopped syncing.', requester: { name: 'Nils Note', email: 'nils@customer.example' }, tags: ['ms-exchange'] });
    app.zendesk.http.inject('PUT /api/v2/tickets/:id', { kind: 'dropAfterReply' });
    await app.zendeskWebhooks.send({ ticket: { id: String(zd.id) } });
    const ticket = await waitFor(() => Ticket.findOne({ where: { source: 'zendesk', externalId: String(zd.id) } }), 'the ticket');
    await waitFor(async () => (await ticket.reload()).sourceNotedAt, 'the note recorded', 15_000);
    await sleep(300);
    const notes = app.zendesk.comments.get(zd.id)!.filter((c) => c.body.includes(`HN-${ticket.id}`));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ public: false });
    expect(ticket.sourceNoteUnconfirmedAt).toBeNull();
  });
});
