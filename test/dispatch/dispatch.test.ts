import { afterEach, describe, expect, it } from 'vitest';
import { Category, SlackMessage, Ticket } from '../../src/db/models/index.ts';
import { createTicket } from '../../src/domain/tickets/create-ticket.ts';
import { createQualifiedExpert } from '../support/experts.ts';
import { startTestApp, type TestApp } from '../support/start-test-app.ts';
import { TEST_ENGINE } from '../support/test-database.ts';
import { testRouting } from '../support/test-routing.ts';
import { sleep, waitFor } from '../support/wait-for.ts';
import { slackPeople } from '../relay/support.ts';

const CUSTOMER = { name: 'Carol Customer', email: 'carol.customer@example.com', phone: '+1 555 0199', company: 'Acme Widgets' };

describe(`dispatch and escalation on ${TEST_ENGINE}`, () => {
  let app: TestApp | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  const file = async (a: TestApp, over: Partial<Parameters<typeof createTicket>[1]> = {}) => {
    const category = await Category.findOne({ where: { key: 'ms-exchange' }, rejectOnEmpty: true });
    return createTicket(a.server.services, {
      source: 'widget',
      externalId: `w-${Math.random()}`,
      categoryId: category.id,
      description: 'Outlook keeps asking for my password since the upgrade.',
      customer: CUSTOMER,
      ...over,
    });
  };
  const posts = (a: TestApp) => a.slack.callsTo('chat.postMessage').filter((c) => c.status === 200 && (c.response as { ok: boolean }).ok);
  const blocksText = (args: Record<string, unknown>) => JSON.stringify(args.blocks);

  it('posts the ticket to the first tier with a Book button and pages the best-ranked eligible experts', async () => {
    app = await startTestApp();
    const top = await createQualifiedExpert('exchange-l1', 'ms-exchange', { score: 4.8 });
    // Of the two tied, the one paged more recently is created first (the lower id), so only
    // the least-recently-paged rule can put the other ahead.
    const tiedLater = await createQualifiedExpert('exchange-l1', 'ms-exchange', { score: 4.1, lastPagedAt: new Date() });
    const second = await createQualifiedExpert('exchange-l1', 'ms-exchange', { score: 4.1, lastPagedAt: new Date(Date.now() - 3600_000) });
    const notPaged = [
      await createQualifiedExpert('exchange-l1', 'ms-exchange', { score: 5, checkedIn: false }),
      await createQualifiedExpert('exchange-l1', 'ms-exchange', { score: 5, suspendedAt: new Date() }),
      await createQualifiedExpert('exchange-l1', 'ms-exchange', { score: 5, skill: 'applied' }),
      await createQualifiedExpert('exchange-l1', 'ms-exchange', { score: 5, member: false }),
      // Works all day, but only on a day three days from today: outside its hours whenever this runs.
      await createQualifiedExpert('exchange-l1', 'ms-exchange', {
        score: 5,
        workingHours: JSON.stringify({ timeZone: 'UTC', days: [(new Date().getUTCDay() + 3) % 7], start: '00:00', end: '24:00' }),
      }),
    ];
    const { ticket, created } = await file(app);
    expect(created).toBe(true);

    await waitFor(() => posts(app!).length === 3, 'the channel post and two pages');
    const channelPost = posts(app).find((c) => c.args.channel === 'C0EXCH001')!;
    expect(blocksText(channelPost.args)).toContain(`HN-${ticket.id}`);
    expect(blocksText(channelPost.args)).toContain('"action_id":"ticket.book"');
    expect(blocksText(channelPost.args)).toContain(`"value":"HN-${ticket.id}"`);
    expect(blocksText(channelPost.args)).toContain('MS Exchange');
    const paged = posts(app).filter((c) => c.args.channel !== 'C0EXCH001').map((c) => c.args.channel);
    // pageTop is 2 for exchange-l1: the best score, then of the tied the least recently paged.
    expect(paged.sort()).toEqual([top.slackUserId, second.slackUserId].sort());
    for (const e of [tiedLater, ...notPaged]) expect(paged).not.toContain(e.slackUserId);

    await ticket.reload();
    expect(ticket).toMatchObject({ status: 'dispatched', tier: 1 });
    expect(ticket.dispatchedAt).toBeInstanceOf(Date);
    const alias = await app.server.db.models.TicketAlias.findOne({ where: { ticketId: ticket.id, side: 'customer' } });
    expect(blocksText(channelPost.args)).toContain(alias!.name);
  });

  it('files the same source event once', async () => {
    app = await startTestApp();
    const a = await file(app, { externalId: 'same-event' });
    const b = await file(app, { externalId: 'same-event' });
    expect(b).toMatchObject({ created: false });
    expect(b.ticket.id).toBe(a.ticket.id);
    await waitFor(() => posts(app!).length >= 1, 'the post');
    await sleep(300);
    expect(posts(app).filter((c) => c.args.channel === 'C0EXCH001')).toHaveLength(1);
  });

  it('escalates tier 1 → tier 2 → managers, paging each tier’s wave and updating the earlier messages; the ticket stays bookable', async () => {
    const routing = testRouting();
    routing.categories[0]!.tiers = [
      { group: 'exchange-l1', timeoutMinutes: 0.01 },
      { group: 'messaging-l2', timeoutMinutes: 0.01 },
    ];
    app = await startTestApp({ routing });
    const tier1Expert = await createQualifiedExpert('exchange-l1', 'ms-exchange');
    // messaging-l2 pages its best 3: of these four, the one with the lowest score is left out.
    const tier2 = await Promise.all([4.5, 4.2, 3.9].map((score) => createQualifiedExpert('messaging-l2', 'ms-exchange', { score })));
    const tier2Last = await createQualifiedExpert('messaging-l2', 'ms-exchange', { score: 1.5 });
    const { ticket } = await file(app);
    const pagesTo = (expertIds: (string | null)[]) => posts(app!).filter((c) => expertIds.includes(c.args.channel as string) && blocksText(c.args).includes(`HN-${ticket.id}`));
    await waitFor(() => posts(app!).some((c) => c.args.channel === 'C0MSGS002'), 'the tier-2 post');
    await waitFor(() => pagesTo(tier2.map((e) => e.slackUserId)).length === 3, 'the tier-2 wave of pages');
    const tier2Post = posts(app).find((c) => c.args.channel === 'C0MSGS002')!;
    for (const page of pagesTo(tier2.map((e) => e.slackUserId))) {
      expect(page.at.getTime()).toBeGreaterThanOrEqual(tier2Post.at.getTime() - 1000);
      expect(blocksText(page.args)).toContain('*Tier:* 2 of 2');
      expect(blocksText(page.args)).toContain('ticket.book');
    }
    // Each wave is paged once: tier 1's expert at dispatch, tier 2's only on escalation.
    expect(pagesTo([tier1Expert.slackUserId])).toHaveLength(1);
    expect(blocksText(pagesTo([tier1Expert.slackUserId])[0]!.args)).toContain('*Tier:* 1 of 2');
    expect(pagesTo([tier2Last.slackUserId])).toHaveLength(0);
    const paged = await app.server.db.models.SlackMessage.findAll({ where: { ticketId: ticket.id, purpose: 'page' } });
    expect(paged.map((m) => [m.tier, m.expertId]).sort()).toEqual([[1, tier1Expert.id], ...tier2.map((e) => [2, e.id])].sort());
    const alert = await waitFor(() => posts(app!).find((c) => c.args.channel === 'C0MGRS001'), 'the managers alert');
    expect(JSON.stringify(alert.args.blocks)).toContain(`HN-${ticket.id}`);
    expect(JSON.stringify(alert.args.blocks)).toContain('<#C0EXCH001>');

    const tier1Ts = (posts(app).find((c) => c.args.channel === 'C0EXCH001')!.response as { ts: string }).ts;
    await waitFor(() => app!.slack.messages.find((m) => m.ts === tier1Ts && JSON.stringify(m.blocks).includes('No one booked it')), 'tier 1 message saying it ran out');
    const tier1 = app.slack.messages.find((m) => m.ts === tier1Ts)!;
    expect(tier1.updates).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(tier1.blocks)).toContain('ticket.book');
    await ticket.reload();
    expect(ticket).toMatchObject({ status: 'dispatched', tier: 2 });
    expect(ticket.escalationExhaustedAt).toBeInstanceOf(Date);
  });

  it('does not escalate a ticket booked before the timeout, and marks its messages booked', async () => {
    const routing = testRouting();
    routing.categories[0]!.tiers = [
      { group: 'exchange-l1', timeoutMinutes: 0.01 },
      { group: 'messaging-l2', timeoutMinutes: 0.01 },
    ];
    app = await startTestApp({ routing });
    const expert = await createQualifiedExpert('exchange-l1', 'ms-exchange');
    const { ticket } = await file(app);
    const { bookTicket } = await import('../../src/domain/booking/book-ticket.ts');
    expect(await bookTicket(app.server.services, { ticketId: ticket.id, expertId: expert.id })).toBe('booked');
    await sleep(1500);
    expect(posts(app).some((c) => c.args.channel === 'C0MSGS002')).toBe(false);
    expect(posts(app).some((c) => c.args.channel === 'C0MGRS001')).toBe(false);
    await waitFor(() => app!.slack.messages.filter((m) => m.channel === 'C0EXCH001').every((m) => JSON.stringify(m.blocks).includes('Booked')), 'the booked message');
    expect(JSON.stringify(app.slack.messages.find((m) => m.channel === 'C0EXCH001')!.blocks)).not.toContain('ticket.book');
  });

  it('posts exactly once through a 429 with Retry-After and a run of 500s', async () => {
    app = await startTestApp();
    app.slack.http.inject('chat.postMessage', { kind: 'status', status: 429, retryAfterSeconds: 1 });
    app.slack.http.inject('chat.postMessage', { kind: 'status', status: 500 }, 2);
    const started = Date.now();
    const { ticket } = await file(app);
    await waitFor(() => posts(app!).length === 1, 'the post after the faults', 20_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    await sleep(500);
    expect(posts(app).filter((c) => c.args.channel === 'C0EXCH001')).toHaveLength(1);
    const row = await app.server.db.models.SlackMessage.findOne({ where: { ticketId: ticket.id, purpose: 'dispatch' } });
    expect(row).toMatchObject({ status: 'sent', attempts: 4 });
  });

  it('loses nothing when Slack is unreachable and the server restarts before it comes back', async () => {
    app = await startTestApp();
    await app.slack.http.refuseConnections();
    const { ticket } = await file(app);
    const message = () => app!.server.db.models.SlackMessage.findOne({ where: { ticketId: ticket.id, purpose: 'dispatch' } });
    await waitFor(async () => ((await message())?.attempts ?? 0) >= 1, 'a failed attempt');
    await app.restart();
    await app.slack.http.acceptConnections();
    await waitFor(() => posts(app!).length === 1, 'the post after the restart', 20_000);
    await sleep(300);
    expect(posts(app)).toHaveLength(1);
    expect(await message()).toMatchObject({ status: 'sent' });
  });

  it('shows hostile descriptions as text, within Slack limits, with no mention or link', async () => {
    app = await startTestApp();
    const hostile = `<!channel> <!here> <@U123> <https://evil.example|click> & ☃️ שלום עולם ${'x'.repeat(100_000)}`;
    await file(app, { description: hostile, subject: '<!everyone> urgent' });
    const post = await waitFor(() => posts(app!)[0], 'the post');
    const text = JSON.stringify(post.args.blocks);
    for (const raw of ['<!channel>', '<!here>', '<@U123>', '<https://evil.example|click>', '<!everyone>']) expect(text).not.toContain(raw);
    expect(text).toContain('&lt;!channel&gt;');
    expect(text).toContain('&amp;');
    expect(text).toContain('שלום עולם');
    expect(text).toContain('(cut)');
  });

  it('never puts the customer’s name, email, phone or company in a Slack call', async () => {
    const routing = testRouting();
    routing.categories[0]!.tiers = [{ group: 'exchange-l1', timeoutMinutes: 0.01 }];
    app = await startTestApp({ routing });
    const expert = await createQualifiedExpert('exchange-l1', 'ms-exchange');
    // The customer signs the description, as people do, and the expert who books it sees it too.
    const { ticket } = await file(app, {
      subject: 'Carol from Acme Widgets: Outlook',
      description: 'Outlook keeps asking for my password.\n-- \nCarol Customer | Acme Widgets | +1 555 0199 (or 555-0199) | carol.customer@example.com',
    });
    await waitFor(() => posts(app!).some((c) => c.args.channel === 'C0MGRS001'), 'the managers alert');
    await app.slackRequests.blockActions({ user_id: expert.slackUserId!, action_id: 'ticket.book', value: `HN-${ticket.id}`, channel_id: 'C0EXCH001' });
    await waitFor(() => posts(app!).some((c) => c.args.channel === expert.slackUserId && JSON.stringify(c.args.blocks).includes('ticket.resolve')), 'the expert’s thread');
    expect(JSON.stringify(posts(app).map((c) => c.args.blocks))).toContain('(company) | ');
    await sleep(300);
    const everything = app.slack.calls.map((c) => c.rawBody).join('\n');
    for (const secret of [...Object.values(CUSTOMER), 'Carol', '555-0199']) {
      expect(everything).not.toContain(secret);
      expect(everything).not.toContain(encodeURIComponent(secret));
    }
  });

  it('a message Slack refuses for good is reported to managers, naming an expert but never a customer', async () => {
    app = await startTestApp();
    const expert = await createQualifiedExpert('exchange-l1', 'ms-exchange');
    app.slack.closeChannel(expert.slackUserId!);
    app.slack.closeChannel('U0GONE0001');
    await file(app, { source: 'slack', externalId: 'V0GONE0001', customer: { slackUserId: 'U0GONE0001', name: 'Gone Requester' } });
    const alerts = () => posts(app!).filter((c) => c.args.channel === 'C0MGRS001').map((c) => blocksText(c.args));
    await waitFor(() => alerts().length === 2, 'two delivery alerts');
    expect(alerts().find((a) => a.includes('a page'))).toContain(`<@${expert.slackUserId}>`);
    const toRequester = alerts().find((a) => a.includes('a message to the requester of HN-'))!;
    expect(toRequester).toBeDefined();
    expect(toRequester).not.toContain('U0GONE0001');

    // What an expert then writes to that requester has no thread to go to: it is recorded as
    // failed (the transcript keeps it) instead of waiting for the thread forever.
    const other = await createQualifiedExpert('exchange-l1', 'ms-exchange');
    const ticket = await Ticket.findOne({ where: { externalId: 'V0GONE0001' }, rejectOnEmpty: true });
    const people = slackPeople(app);
    await people.book(other, ticket.id);
    const thread = await people.expertThread(other, ticket.id);
    await people.dm(other.slackUserId!, 'Can you try again?', { threadTs: thread.ts });
    const relayed = await waitFor(async () => (await SlackMessage.findAll({ where: { ticketId: ticket.id, purpose: 'relay', status: 'failed' } }))[0], 'the relay given up');
    expect(relayed.lastError).toBe('its thread could not be posted');
  });
});
