import { Op } from 'sequelize';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/start-test-app.ts';
import { statementsDuring } from '../support/statements.ts';
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
    // The requester came side-loaded with the ticket: one read, not two.
    expect(app.zendesk.calls.filter((c) => c.method === 'GET').map((c) => c.route)).toEqual(['GET /api/v2/tickets/:id']);
    const customer = await app.server.db.models.Customer.findByPk(ticket!.customerId, { rejectOnEmpty: true });
    expect(customer).toMatchObject({ name: REQUESTER.name, email: REQUESTER.email, zendeskUserId: String(zd.requester_id) });
  });

  it('makes one ticket and one post of the same delivery sent three times', async () => {
    const zd = app.zendesk.addTicket({ description: 'Mailbox full', requester: REQUESTER, tags: ['ms-exchange'] });
    const body = { ticket: { id: zd.id } };
    // One request, replayed byte for byte: same body, same signature timestamp.
    const timestamp = new Date();
    const answers = await Promise.all([0, 1, 2].map(() => app.zendeskWebhooks.send(body, { timestamp })));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(answers.filter((a) => JSON.stringify(a.json) === '{"ok":true}')).toHaveLength(1);
    expect(answers.filter((a) => JSON.stringify(a.json) === '{"ok":true,"duplicate":true}')).toHaveLength(2);
    await waitFor(() => channelPosts('C0EXCH001').length >= 1, 'the post');
    // Different deliveries about the same ticket (a later trigger run, an event webhook) make no second one.
    await app.zendeskWebhooks.send(body, { timestamp: new Date(timestamp.getTime() + 1000) });
    await app.zendeskWebhooks.send({ id: 'evt-1', type: 'zen:event-type:ticket.created', detail: { id: String(zd.id) } });
    await sleep(800);
    expect(await ticketsFor(zd.id)).toHaveLength(1);
    expect(channelPosts('C0EXCH001')).toHaveLength(1);
  });

  it('stores a burst of deliveries together, each once, and files every ticket', async () => {
    const tickets = Array.from({ length: 12 }, (_, i) => app.zendesk.addTicket({ description: `Burst ticket ${i}`, requester: { name: `Burst ${i}`, email: `burst${i}@example.com` }, tags: ['ms-exchange'] }));
    // One stored before the burst: its repeats in the burst are recognised too.
    const early = await app.zendeskWebhooks.send({ ticket: { id: tickets[0]!.id } }, { invocationId: 'burst-0' });
    expect(early.json).toEqual({ ok: true });
    // Every delivery three times at once, as Zendesk retrying a slow answer would.
    const { result: answers, statements: inserts } = await statementsDuring(app.server.db.sequelize, 'INSERT INTO `inbound_events`', () =>
      Promise.all(tickets.flatMap((t, i) => [0, 1, 2].map(() => app.zendeskWebhooks.send({ ticket: { id: t.id } }, { invocationId: `burst-${i}` })))),
    );
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(answers.filter((a) => JSON.stringify(a.json) === '{"ok":true}')).toHaveLength(11);
    expect(answers.filter((a) => JSON.stringify(a.json) === '{"ok":true,"duplicate":true}')).toHaveLength(25);
    expect(inserts.length).toBeLessThan(11);
    await waitFor(() => channelPosts('C0EXCH001').length === 12, 'a post for every ticket');
    for (const t of tickets) expect(await ticketsFor(t.id)).toHaveLength(1);
    const stored = await app.server.db.models.InboundEvent.count({ where: { source: 'zendesk', dedupeKey: { [Op.like]: 'trigger:%:invocation:burst-%' } } });
    expect(stored).toBe(12);
  });

  it('recognises a delivery Zendesk retries by its invocation id, though it is signed again', async () => {
    const zd = app.zendesk.addTicket({ description: 'Calendar sharing broken', requester: REQUESTER, tags: ['ms-exchange'] });
    const body = { ticket: { id: String(zd.id) } };
    const now = Date.now();
    const first = await app.zendeskWebhooks.send(body, { invocationId: '01HZX4K2V9Q7', timestamp: new Date(now) });
    const retry = await app.zendeskWebhooks.send(body, { invocationId: '01HZX4K2V9Q7', timestamp: new Date(now + 2000) });
    // Another run of the trigger: a new invocation, even with the same body and timestamp.
    const other = await app.zendeskWebhooks.send(body, { invocationId: '01HZX4K2V9Q8', timestamp: new Date(now + 2000) });
    expect([first.json, retry.json, other.json]).toEqual([{ ok: true }, { ok: true, duplicate: true }, { ok: true }]);
    await waitFor(() => channelPosts('C0EXCH001').length === 1, 'the post');
    await sleep(500);
    expect(await ticketsFor(zd.id)).toHaveLength(1);
    expect(channelPosts('C0EXCH001')).toHaveLength(1);
  });

  /** The customer's messages Helpnet has read from a Zendesk ticket (held until an expert books it). */
  const customerMessages = async (zendeskId: number) => {
    const [ticket] = await ticketsFor(zendeskId);
    if (!ticket) return [];
    const messages = await app.server.db.models.TicketMessage.findAll({ where: { ticketId: ticket.id, side: 'customer' }, order: [['id', 'ASC']] });
    return messages.map((m) => m.body);
  };

  it('reads each customer reply, though the trigger body repeats within the minute', async () => {
    const zd = app.zendesk.addTicket({ description: 'Out of office replies not sent', requester: REQUESTER, tags: ['ms-exchange'] });
    // {{ticket.updated_at_with_timestamp}} is rendered to the minute: both replies below get the same body.
    const body = { ticket: { id: String(zd.id), updated_at: 'November 26, 2026 10:15' } };
    const start = Date.now();
    expect((await app.zendeskWebhooks.send(body, { timestamp: new Date(start) })).json).toEqual({ ok: true });
    await waitFor(async () => (await ticketsFor(zd.id)).length === 1, 'the ticket filed');

    app.zendesk.addComment(zd.id, { author_id: zd.requester_id, body: 'First reply: it started on Monday.' });
    expect((await app.zendeskWebhooks.send(body, { timestamp: new Date(start + 1000) })).json).toEqual({ ok: true });
    await waitFor(async () => (await customerMessages(zd.id)).length === 1, 'the first reply read');
    app.zendesk.addComment(zd.id, { author_id: zd.requester_id, body: 'Second reply: only for external senders.' });
    expect((await app.zendeskWebhooks.send(body, { timestamp: new Date(start + 2000) })).json).toEqual({ ok: true });
    await waitFor(async () => (await customerMessages(zd.id)).length === 2, 'the second reply read');
    expect(await customerMessages(zd.id)).toEqual(['First reply: it started on Monday.', 'Second reply: only for external senders.']);

    // The very same request again is still recognised as a repeat.
    expect((await app.zendeskWebhooks.send(body, { timestamp: new Date(start + 2000) })).json).toEqual({ ok: true, duplicate: true });
  });

  it('reads a customer reply sent with the minimal trigger body {"ticket":{"id":…}}', async () => {
    const zd = app.zendesk.addTicket({ description: 'Public folders missing', requester: REQUESTER, tags: ['ms-exchange'] });
    const start = Date.now();
    await app.zendeskWebhooks.send({ ticket: { id: String(zd.id) } }, { timestamp: new Date(start) });
    await waitFor(async () => (await ticketsFor(zd.id)).length === 1, 'the ticket filed');
    app.zendesk.addComment(zd.id, { author_id: zd.requester_id, body: 'They vanished after the migration.' });
    expect((await app.zendeskWebhooks.send({ ticket: { id: String(zd.id) } }, { timestamp: new Date(start + 1000) })).json).toEqual({ ok: true });
    await waitFor(async () => (await customerMessages(zd.id)).includes('They vanished after the migration.'), 'the reply read');
  });

  it('accepts Zendesk event webhooks', async () => {
    const zd = app.zendesk.addTicket({ description: 'NT domain login fails', requester: REQUESTER, tags: ['windows'] });
    const res = await app.zendeskWebhooks.send({ id: 'evt-2', type: 'zen:event-type:ticket.created', subject: `zen:ticket:${zd.id}`, time: new Date().toISOString(), detail: { id: String(zd.id) } });
    expect(res.status).toBe(200);
    await waitFor(() => channelPosts('C0WIND003').length === 1, 'the Windows post (default category)');
  });

  it('reads the comments of a new ticket in a delivery that lost the race to file it', async () => {
    const zd = app.zendesk.addTicket({ description: 'Archive mailbox full', requester: REQUESTER, tags: ['ms-exchange'] });
    app.zendesk.addComment(zd.id, { author_id: zd.requester_id, body: 'Also: the archive policy shows 0 days.' });
    // Both deliveries find the ticket not filed yet; the one whose read of the ticket is slow
    // loses the race to file it, and must still read what the customer wrote.
    app.zendesk.http.inject('GET /api/v2/tickets/:id', { kind: 'delay', ms: 1500 });
    const answers = await Promise.all([
      app.zendeskWebhooks.send({ id: `evt-race-${zd.id}`, type: 'zen:event-type:ticket.created', detail: { id: String(zd.id) } }),
      app.zendeskWebhooks.send({ ticket: { id: String(zd.id) } }),
    ]);
    expect(answers.map((a) => a.json)).toEqual([{ ok: true }, { ok: true }]);
    await waitFor(() => app.zendesk.calls.filter((c) => c.route === 'GET /api/v2/tickets/:id' && c.path.startsWith(`/api/v2/tickets/${zd.id}`)).length === 2, 'both deliveries reading the ticket');
    await waitFor(async () => (await customerMessages(zd.id)).length === 1, 'the comment read', 5000);
    expect(await customerMessages(zd.id)).toEqual(['Also: the archive policy shows 0 days.']);
    expect(await ticketsFor(zd.id)).toHaveLength(1);
  });

  it('answers other Zendesk events 200 "ignored" and stores nothing', async () => {
    const zd = app.zendesk.addTicket({ description: 'Not a ticket event', requester: REQUESTER, tags: ['ms-exchange'] });
    const before = await app.server.db.models.InboundEvent.count();
    // A user event whose detail.id happens to be a ticket's id must not be read as that ticket.
    const user = await app.zendeskWebhooks.send({ id: 'evt-user-1', type: 'zen:event-type:user.created', subject: `zen:user:${zd.id}`, detail: { id: String(zd.id) } });
    const organization = await app.zendeskWebhooks.send({ id: 'evt-org-1', type: 'zen:event-type:organization.created', detail: { name: 'Acme' } });
    expect([user.status, organization.status]).toEqual([200, 200]);
    expect([user.json, organization.json]).toEqual([{ ok: true, ignored: true }, { ok: true, ignored: true }]);
    await sleep(500);
    expect(await app.server.db.models.InboundEvent.count()).toBe(before);
    expect(await ticketsFor(zd.id)).toHaveLength(0);
    expect(app.zendesk.calls.filter((c) => c.path.includes(`/${zd.id}`))).toHaveLength(0);
  });

  it('answers 400 to a ticket event without the ticket id', async () => {
    const res = await app.zendeskWebhooks.send({ id: 'evt-bad-1', type: 'zen:event-type:ticket.created', detail: {} });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ error: 'unrecognised_payload' });
  });

  it('answers 400 to a ticket id that is not a safe whole number, and asks Zendesk nothing', async () => {
    const before = app.zendesk.calls.length;
    for (const id of ['123456789012345678901234567890', 1.2345678901234568e29, -4, 1.5, '0x1F', '']) {
      const res = await app.zendeskWebhooks.send({ ticket: { id } });
      expect(res.status).toBe(400);
      expect(res.json).toMatchObject({ error: 'unrecognised_payload' });
    }
    expect((await app.zendeskWebhooks.send({ id: 'evt-big-1', type: 'zen:event-type:ticket.created', detail: { id: '99999999999999999999' } })).status).toBe(400);
    await sleep(200);
    expect(app.zendesk.calls.slice(before).filter((c) => /e\+|9999999999/.test(c.path))).toHaveLength(0);
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

  it('alerts once per Zendesk ticket, however many deliveries about it arrive, and marks each one unroutable', async () => {
    const { defaultCategory: _dropped, ...routing } = testRouting();
    const app = await startTestApp({ routing });
    try {
      const zd = app.zendesk.addTicket({ description: 'Fax machine offline', requester: REQUESTER, tags: ['fax'] });
      const start = Date.now();
      await app.zendeskWebhooks.send({ ticket: { id: zd.id } }, { timestamp: new Date(start) });
      const alerts = () => app.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === 'C0MGRS001' && c.status === 200);
      await waitFor(() => alerts().length === 1, 'the managers alert');
      // The customer writes again, twice at once, then once more: each delivery is read again.
      app.zendesk.addComment(zd.id, { author_id: zd.requester_id, body: 'Anyone there?' });
      await Promise.all([
        app.zendeskWebhooks.send({ ticket: { id: zd.id } }, { invocationId: 'inv-fax-1', timestamp: new Date(start + 1000) }),
        app.zendeskWebhooks.send({ id: 'evt-fax-1', type: 'zen:event-type:ticket.comment_added', detail: { id: String(zd.id) } }),
      ]);
      await app.zendeskWebhooks.send({ ticket: { id: zd.id } }, { invocationId: 'inv-fax-2', timestamp: new Date(start + 2000) });
      const deliveries = () => app.server.db.models.InboundEvent.findAll({ where: { source: 'zendesk', dedupeKey: { [Op.notLike]: 'alert:%' } } });
      await waitFor(async () => (await deliveries()).every((d) => d.processedAt) && (await deliveries()).length === 4, 'every delivery processed');
      expect((await deliveries()).map((d) => d.status)).toEqual(['unroutable', 'unroutable', 'unroutable', 'unroutable']);
      await sleep(800);
      expect(alerts()).toHaveLength(1);
      expect(await app.server.db.models.SlackMessage.count({ where: { purpose: 'unroutable_alert' } })).toBe(1);
      expect((await app.server.db.models.ManagerAlert.findAll()).map((a) => a.onceKey)).toEqual([`unroutable:zendesk-ticket:${zd.id}`]);
      expect(await app.server.db.models.Ticket.count()).toBe(0);
    } finally {
      await app.close();
    }
  });
});

describe(`Zendesk refusing Helpnet, or no longer having the ticket (${TEST_ENGINE})`, () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  const deliveriesAbout = (zendeskId: number) => app.server.db.models.InboundEvent.findAll({ where: { source: 'zendesk', dedupeKey: { [Op.like]: `trigger:${zendeskId}:%` } } });
  const managersPosts = () => app.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === 'C0MGRS001' && c.status === 200);

  it('retries a delivery Zendesk answers 401 or 403, tells the managers once, and files it when access is back', async () => {
    const zd = app.zendesk.addTicket({ description: 'Delegates cannot send as', requester: REQUESTER, tags: ['ms-exchange'] });
    // A rotated token (401) while reading the ticket, then a role change (403) on the retry.
    app.zendesk.http.inject('GET /api/v2/tickets/:id', { kind: 'status', status: 401, body: { error: "Couldn't authenticate you" } });
    app.zendesk.http.inject('GET /api/v2/tickets/:id', { kind: 'status', status: 403, body: { error: 'Forbidden' } });
    expect((await app.zendeskWebhooks.send({ ticket: { id: String(zd.id) } })).json).toEqual({ ok: true });

    const alert = await waitFor(() => managersPosts().find((c) => String(c.args.text).includes(`#${zd.id}`)), 'the managers alert');
    expect(String(alert.args.text)).toContain('401');
    expect(String(alert.args.text)).toContain('ZENDESK_API_TOKEN');
    await waitFor(() => app.slack.callsTo('chat.postMessage').some((c) => c.args.channel === 'C0EXCH001' && c.status === 200), 'the ticket posted once Zendesk lets Helpnet read it', 15_000);
    const [delivery] = await deliveriesAbout(zd.id);
    await waitFor(async () => (await delivery!.reload()).processedAt, 'the delivery processed');
    expect(delivery).toMatchObject({ status: 'processed', error: null });
    await sleep(500);
    // One alert for the delivery, though it was refused twice (401, then 403).
    expect(managersPosts().filter((c) => String(c.args.text).includes(`#${zd.id}`))).toHaveLength(1);
    expect(await app.server.db.models.Ticket.count({ where: { source: 'zendesk', externalId: String(zd.id) } })).toBe(1);
  });

  it('retries reading the comments of a filed ticket when Zendesk answers 401', async () => {
    const zd = app.zendesk.addTicket({ description: 'Room mailbox declines everything', requester: REQUESTER, tags: ['ms-exchange'] });
    const start = Date.now();
    await app.zendeskWebhooks.send({ ticket: { id: String(zd.id) } }, { timestamp: new Date(start) });
    const ticket = await waitFor(() => app.server.db.models.Ticket.findOne({ where: { source: 'zendesk', externalId: String(zd.id) } }), 'the ticket filed');
    app.zendesk.addComment(zd.id, { author_id: zd.requester_id, body: 'It declines even internal invites.' });
    app.zendesk.http.inject('GET /api/v2/tickets/:id/comments', { kind: 'status', status: 401, body: { error: "Couldn't authenticate you" } });
    await app.zendeskWebhooks.send({ ticket: { id: String(zd.id) } }, { timestamp: new Date(start + 1000) });
    await waitFor(() => app.server.db.models.TicketMessage.findOne({ where: { ticketId: ticket.id, side: 'customer' } }), 'the reply read on a later try', 10_000);
    expect(managersPosts().filter((c) => String(c.args.text).includes(`#${zd.id}`))).toHaveLength(1);
  });

  it('ends a delivery about a ticket Zendesk does not have (404) as ignored, saying why, without retrying', async () => {
    const missing = 987_654;
    expect((await app.zendeskWebhooks.send({ ticket: { id: missing } })).json).toEqual({ ok: true });
    const [delivery] = await waitFor(async () => {
      const found = await deliveriesAbout(missing);
      return found[0]?.processedAt ? found : undefined;
    }, 'the delivery ended');
    expect(delivery!.status).toBe('ignored');
    expect(delivery!.error).toMatch(/404 \(ticket 987654\): not found .*not filed and not retried/);
    await sleep(1500);
    expect(app.zendesk.calls.filter((c) => c.path.startsWith(`/api/v2/tickets/${missing}`))).toHaveLength(1);
    expect(await app.server.db.models.Ticket.count({ where: { source: 'zendesk', externalId: String(missing) } })).toBe(0);
  });
});
