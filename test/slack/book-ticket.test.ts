import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlackMessage, TicketAlias } from '../../src/db/models/index.ts';
import { bookTicket } from '../../src/domain/booking/book-ticket.ts';
import { createQualifiedExpert } from '../support/experts.ts';
import { createExpert } from '../support/factories.ts';
import { SlackRequestSender } from '../support/slack-requests.ts';
import { spawnScript } from '../support/spawn-helpnet.ts';
import { SLACK_SIGNING_SECRET, startTestApp, type TestApp } from '../support/start-test-app.ts';
import { TEST_ENGINE } from '../support/test-database.ts';
import { sleep, waitFor } from '../support/wait-for.ts';
import { fileWidgetTicket } from '../support/tickets.ts';

describe(`Book on ${TEST_ENGINE}`, () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  const file = async () => {
    const ticket = await fileWidgetTicket(app.server.services, { description: 'Shared calendar stopped syncing for the whole team.', customer: { name: 'Cathy', email: 'cathy@example.com' } });
    // Every message about it (the channel post and the pages) is in Slack before anyone clicks.
    await waitFor(async () => {
      const rows = await SlackMessage.findAll({ where: { ticketId: ticket.id, purpose: ['dispatch', 'page'] } });
      return rows.length > 1 && rows.every((r) => r.status === 'sent');
    }, 'the dispatch post and the pages');
    return ticket;
  };
  /** What Slack now shows of every message posted about the ticket (all tiers, channel posts and pages). */
  const postedAbout = async (ticketId: number) => {
    const rows = await SlackMessage.findAll({ where: { ticketId, purpose: ['dispatch', 'page'] } });
    return rows.map((r) => app.slack.messages.find((m) => m.conversation === r.channel && m.ts === r.ts)!);
  };
  /** Every posted message of the ticket says Booked, was updated exactly once, offers no Book and names no one. */
  const expectAllBookedOnce = async (ticketId: number, winner: string) => {
    await waitFor(async () => (await postedAbout(ticketId)).every((m) => JSON.stringify(m.blocks).includes('Booked')), 'every message updated');
    await sleep(500); // a second update would come about now
    const messages = await postedAbout(ticketId);
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) {
      expect(m.updates).toBe(1);
      expect(JSON.stringify(m.blocks)).toContain('*Booked*');
      expect(JSON.stringify(m.blocks)).not.toContain('ticket.book');
      expect(JSON.stringify(m.blocks)).not.toContain(winner);
    }
  };
  /** The clickers' answers, sent to their clicks' response URLs (keyed `<user id>/<n>`). */
  const answersFor = (users: string[]) =>
    app.slack
      .responses()
      .filter((r) => users.includes(r.key.split('/')[0]!))
      .map((r) => ({ ...r, user: r.key.split('/')[0]! }));

  it('lets exactly one of 50 simultaneous clicks win; the others hear it is already booked', async () => {
    const experts = await Promise.all(Array.from({ length: 50 }, () => createQualifiedExpert('exchange-l1', 'ms-exchange')));
    const ticket = await file();
    const ids = experts.map((e) => e.slackUserId!);
    const answers = await Promise.all(ids.map((user) => app.slackRequests.blockActions({ user_id: user, action_id: 'ticket.book', value: `HN-${ticket.id}`, channel_id: 'C0EXCH001' })));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    await waitFor(() => answersFor(ids).length === 50, '50 answers', 20_000);
    const texts = answersFor(ids).map((c) => String(c.text));
    expect(texts.filter((t) => t.includes('You booked'))).toHaveLength(1);
    expect(texts.filter((t) => t === 'Already booked — thanks!')).toHaveLength(49);

    await ticket.reload();
    const winner = answersFor(ids).find((c) => String(c.text).includes('You booked'))!.user;
    expect(ticket.status).toBe('booked');
    expect(ticket.expertId).toBe(experts.find((e) => e.slackUserId === winner)!.id);
    expect(await TicketAlias.count({ where: { ticketId: ticket.id, side: 'expert' } })).toBe(1);

    // Every message posted about the ticket (channel post, pages) now says Booked, without a
    // Book button or the expert's name; the winner has their own ticket thread.
    await expectAllBookedOnce(ticket.id, winner);
    await waitFor(() => app.slack.messages.some((m) => m.channel === winner && JSON.stringify(m.blocks).includes('ticket.resolve')), 'the winner’s ticket thread');
  });

  it('lets exactly one win when the clicks are shared between two server processes on one database', async () => {
    const second = spawnScript('src/main.ts', { ...app.env, LOG_LEVEL: 'info' });
    try {
      const port = (JSON.parse(await second.waitFor(/Helpnet is listening/)) as { port: number }).port;
      const other = new SlackRequestSender(`http://127.0.0.1:${port}`, SLACK_SIGNING_SECRET);
      other.responseUrl = (key) => app.slack.responseUrl(key);
      const experts = await Promise.all(Array.from({ length: 50 }, () => createQualifiedExpert('exchange-l1', 'ms-exchange')));
      const ticket = await file();
      const ids = experts.map((e) => e.slackUserId!);
      const answers = await Promise.all(
        ids.map((user, i) => (i % 2 === 0 ? app.slackRequests : other).blockActions({ user_id: user, action_id: 'ticket.book', value: `HN-${ticket.id}`, channel_id: 'C0EXCH001' })),
      );
      expect(answers.every((a) => a.status === 200)).toBe(true);
      await waitFor(() => answersFor(ids).length === 50, '50 answers', 20_000);
      const texts = answersFor(ids).map((c) => String(c.text));
      expect(texts.filter((t) => t.includes('You booked'))).toHaveLength(1);
      expect(texts.filter((t) => t === 'Already booked — thanks!')).toHaveLength(49);
      await ticket.reload();
      expect(ticket.status).toBe('booked');
      const winner = answersFor(ids).find((c) => String(c.text).includes('You booked'))!.user;
      expect(ticket.expertId).toBe(experts.find((e) => e.slackUserId === winner)!.id);
      expect(await TicketAlias.count({ where: { ticketId: ticket.id, side: 'expert' } })).toBe(1);
      // Whichever process runs the follow-up, each posted message is updated once, and one thread is opened.
      await expectAllBookedOnce(ticket.id, winner);
      await waitFor(() => app.slack.messages.some((m) => m.channel === winner && JSON.stringify(m.blocks).includes('ticket.resolve')), 'the winner’s ticket thread');
      expect(await SlackMessage.count({ where: { ticketId: ticket.id, purpose: 'expert_thread' } })).toBe(1);
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  });

  it('explains to someone not approved for the category, and to a click on a closed ticket', async () => {
    const ticket = await file();
    const stranger = await createExpert({ checkedIn: true });
    await app.slackRequests.blockActions({ user_id: stranger.slackUserId!, action_id: 'ticket.book', value: `HN-${ticket.id}`, channel_id: 'C0EXCH001' });
    await app.slackRequests.blockActions({ user_id: 'U0NOTANEXPERT', action_id: 'ticket.book', value: `HN-${ticket.id}`, channel_id: 'C0EXCH001' });
    await waitFor(() => answersFor([stranger.slackUserId!, 'U0NOTANEXPERT']).length === 2, 'two answers');
    for (const c of answersFor([stranger.slackUserId!, 'U0NOTANEXPERT'])) expect(String(c.text)).toContain('You are not approved for *MS Exchange* tickets');
    await ticket.reload();
    expect(ticket.status).toBe('dispatched');

    await ticket.update({ status: 'closed' });
    const expert = await createQualifiedExpert('exchange-l1', 'ms-exchange');
    await app.slackRequests.blockActions({ user_id: expert.slackUserId!, action_id: 'ticket.book', value: `HN-${ticket.id}`, channel_id: 'C0EXCH001' });
    await waitFor(() => answersFor([expert.slackUserId!]).length === 1, 'the answer');
    expect(String(answersFor([expert.slackUserId!])[0]!.text)).toContain('already resolved or withdrawn');
    await sleep(100);
  });

  it('refuses a suspended expert, one not yet approved, and one approved only for another category; nothing is booked', async () => {
    const ticket = await file();
    const suspended = await createQualifiedExpert('exchange-l1', 'ms-exchange', { suspendedAt: new Date() });
    const applied = await createQualifiedExpert('exchange-l1', 'ms-exchange', { skill: 'applied' });
    const otherCategory = await createQualifiedExpert('windows-l1', 'windows-nt');
    const refused = [suspended, applied, otherCategory].map((e) => e.slackUserId!);
    await Promise.all(refused.map((user) => app.slackRequests.blockActions({ user_id: user, action_id: 'ticket.book', value: `HN-${ticket.id}`, channel_id: 'C0EXCH001' })));
    await waitFor(() => answersFor(refused).length === 3, 'three answers');
    // A suspended expert hears that they are suspended (test/ranking covers the reason); the others that they are not approved.
    for (const c of answersFor(refused)) expect(String(c.text)).toContain(c.user === suspended.slackUserId ? `You cannot book HN-${ticket.id}: your expert status is suspended` : `You are not approved for *MS Exchange* tickets, so you cannot book HN-${ticket.id}`);
    await ticket.reload();
    expect(ticket).toMatchObject({ status: 'dispatched', expertId: null });
    expect(await TicketAlias.count({ where: { ticketId: ticket.id, side: 'expert' } })).toBe(0);
    expect(await SlackMessage.count({ where: { ticketId: ticket.id, purpose: 'expert_thread' } })).toBe(0);
    // Straight through the domain too, each on its own.
    expect(await bookTicket(app.server.services, { ticketId: ticket.id, expertId: suspended.id })).toBe('suspended');
    for (const e of [applied, otherCategory]) expect(await bookTicket(app.server.services, { ticketId: ticket.id, expertId: e.id })).toBe('not_qualified');
    await ticket.reload();
    expect(ticket.status).toBe('dispatched');
    // It is still there for someone qualified.
    const qualified = await createQualifiedExpert('exchange-l1', 'ms-exchange');
    expect(await bookTicket(app.server.services, { ticketId: ticket.id, expertId: qualified.id })).toBe('booked');
  });

  it('answers simultaneous attempts on one ticket from the first that settles it, but not from an unqualified one', async () => {
    const ticket = await file();
    const stranger = await createExpert({ checkedIn: true });
    const [a, b] = await Promise.all([createQualifiedExpert('exchange-l1', 'ms-exchange'), createQualifiedExpert('exchange-l1', 'ms-exchange')]);
    // The stranger's attempt starts first; the two qualified ones must still decide for themselves.
    const outcomes = await Promise.all([stranger, a, b, a].map((e) => bookTicket(app.server.services, { ticketId: ticket.id, expertId: e.id })));
    expect(outcomes[0]).toBe('not_qualified');
    expect(outcomes.slice(1).sort()).toEqual(['already_booked', 'already_booked', 'booked']);
    await ticket.reload();
    expect([a.id, b.id]).toContain(ticket.expertId);
    expect(await bookTicket(app.server.services, { ticketId: ticket.id, expertId: stranger.id })).toBe('already_booked');
  });

  it('finishes a booking when Slack will not describe the expert (no users:read): the thread is posted, not held for an operator', async () => {
    const expert = await createQualifiedExpert('exchange-l1', 'ms-exchange');
    const ticket = await file();
    app.slack.http.inject('users.info', { kind: 'status', status: 200, body: { ok: false, error: 'missing_scope', needed: 'users:read' } }, 50);
    try {
      await app.slackRequests.blockActions({ user_id: expert.slackUserId!, action_id: 'ticket.book', value: `HN-${ticket.id}`, channel_id: 'C0EXCH001' });
      await waitFor(async () => (await SlackMessage.findOne({ where: { ticketId: ticket.id, purpose: 'expert_thread', status: 'sent' } })) !== null, 'the expert thread', 10_000);
    } finally {
      app.slack.http.clearFaults();
    }
  });
});
