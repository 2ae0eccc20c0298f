import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/start-test-app.ts';
import { TEST_ENGINE } from '../support/test-database.ts';
import { testRouting } from '../support/test-routing.ts';
import { sleep, waitFor } from '../support/wait-for.ts';

const REQUESTER = { name: 'Zoe Zendesk', email: 'zoe.requester@example.com', phone: '+44 20 7946 0000' };

describe(`Zendesk intake on ${TEST_ENGINE}`, () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.close();
  });
  beforeEach(() => {
    app.slack.http.resetCalls();
    app.zendesk.http.resetCalls();
  });

  const channelPosts = (channel: string) => app.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === channel && c.status === 200);
  const ticketsFor = (zendeskId: number) => app.server.db.models.Ticket.findAll({ where: { source: 'zendesk', externalId: String(zendeskId) } });

  it('files a signed trigger delivery, posts it to tier 1 with a Book button, and notes the Zendesk ticket', async () => {
    const zd = app.zendesk.addTicket({ subject: 'Outlook', description: 'Outlook will not sync', requester: REQUESTER, tags: ['ms-exchange', 'vip'] });
    const res = await app.zendeskWebhooks.send({ ticket: { id: String(zd.id), subject: zd.subject } });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ ok: true });
    const post = await waitFor(() => channelPosts('C0EXCH001')[0], 'the tier-1 post');
    expect(JSON.stringify(post.args.blocks)).toContain('"action_id":"ticket.book"');
    const [ticket] = await ticketsFor(zd.id);
    expect(ticket).toBeDefined();
    const note = await waitFor(() => app.zendesk.comments.get(zd.id)!.find((c) => c.body.includes(`HN-${ticket!.id}`)), 'the internal note');
    expect(note).toMatchObject({ public: false, body: `Helpnet HN-${ticket!.id}: routed to MS Exchange experts.` });
  });

  it('makes one ticket and one post of the same delivery sent three times', async () => {
    const zd = app.zendesk.addTicket({ description: 'Mailbox full', requester: REQUESTER, tags: ['ms-exchange'] });
    const body = { ticket: { id: zd.id } };
    const answers = await Promise.all([app.zendeskWebhooks.send(body), app.zendeskWebhooks.send(body), app.zendeskWebhooks.send(body)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    await waitFor(() => channelPosts('C0EXCH001').length >= 1, 'the post');
    // A different delivery about the same ticket (an event webhook) still makes no second one.
    await app.zendeskWebhooks.send({ id: 'evt-1', type: 'zen:event-type:ticket.created', detail: { id: String(zd.id) } });
    await sleep(800);
    expect(await ticketsFor(zd.id)).toHaveLength(1);
    expect(channelPosts('C0EXCH001')).toHaveLength(1);
  });

  it('accepts Zendesk event webhooks', async () => {
    const zd = app.zendesk.addTicket({ description: 'NT domain login fails', requester: REQUESTER, tags: ['windows'] });
    const res = await app.zendeskWebhooks.send({ id: 'evt-2', type: 'zen:event-type:ticket.created', subject: `zen:ticket:${zd.id}`, time: new Date().toISOString(), detail: { id: String(zd.id) } });
    expect(res.status).toBe(200);
    await waitFor(() => channelPosts('C0WIND003').length === 1, 'the Windows post (default category)');
  });

  it.each([
    ['a wrong signature', { signWith: 'someone-else' }],
    ['no signature', { unsigned: true }],
    ['a six-minute-old timestamp', { timestamp: new Date(Date.now() - 6 * 60 * 1000) }],
  ])('refuses %s with 401 and stores nothing', async (_what, opts) => {
    const zd = app.zendesk.addTicket({ description: 'Spoofed', requester: REQUESTER, tags: ['ms-exchange'] });
    const before = await app.server.db.models.InboundEvent.count();
    const res = await app.zendeskWebhooks.send({ ticket: { id: zd.id } }, opts);
    expect(res.status).toBe(401);
    await sleep(300);
    expect(await app.server.db.models.InboundEvent.count()).toBe(before);
    expect(await ticketsFor(zd.id)).toHaveLength(0);
    // Nothing asked Zendesk about it (other tests' jobs may still be talking to Zendesk).
    expect(app.zendesk.calls.filter((c) => c.path.includes(`/${zd.id}`))).toHaveLength(0);
  });

  it('answers 400 to a signed body it does not understand', async () => {
    expect((await app.zendeskWebhooks.send('not json')).status).toBe(400);
    const res = await app.zendeskWebhooks.send({ hello: 'world' });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ error: 'unrecognised_payload' });
  });
});

describe(`Zendesk tickets no category matches (${TEST_ENGINE})`, () => {
  it('alerts the managers when there is no default category, and files nothing', async () => {
    const { defaultCategory: _dropped, ...routing } = testRouting();
    const app = await startTestApp({ routing });
    try {
      const zd = app.zendesk.addTicket({ description: 'Printer <jammed>', requester: REQUESTER, tags: ['printers'] });
      await app.zendeskWebhooks.send({ ticket: { id: zd.id } });
      const alert = await waitFor(() => app.slack.callsTo('chat.postMessage').find((c) => c.args.channel === 'C0MGRS001' && c.status === 200), 'the managers alert');
      expect(JSON.stringify(alert.args.blocks)).toContain(`ticket #${zd.id}`);
      expect(JSON.stringify(alert.args.blocks)).toContain('printers');
      expect(await app.server.db.models.Ticket.count()).toBe(0);
      expect(await app.server.db.models.InboundEvent.findOne()).toMatchObject({ status: 'unroutable' });
      expect(JSON.stringify(app.slack.calls.map((c) => c.rawBody))).not.toContain(REQUESTER.email);
    } finally {
      await app.close();
    }
  });
});
