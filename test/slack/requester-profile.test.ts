import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Customer, Ticket, TicketAlias } from '../../src/db/models/index.ts';
import { dispatchFiledTicket } from '../../src/domain/tickets/dispatch-filed-ticket.ts';
import { startTestApp, type TestApp } from '../support/start-test-app.ts';
import { TEST_ENGINE } from '../support/test-database.ts';
import { waitFor } from '../support/wait-for.ts';

const RITA = { id: 'U0RITA0001', name: 'rita.o', real_name: 'Rita Okafor', display_name: 'Rita (Finance)', email: 'rita@corp.com', phone: '+1 (415) 555-0123' };

describe(`a /helpnet requester's Slack profile, on ${TEST_ENGINE}`, () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
    app.slack.addUser(RITA);
  });
  afterAll(async () => {
    await app.close();
  });

  const submit = (userId: string, viewId: string, description: string) =>
    app.slackRequests.viewSubmission({
      user_id: userId,
      callback_id: 'ticket.create',
      view_id: viewId,
      values: {
        category: { value: { type: 'static_select', selected_option: { value: 'ms-exchange' } } },
        description: { value: { type: 'plain_text_input', value: description } },
        urgency: { value: { type: 'static_select', selected_option: { value: 'normal' } } },
      },
    });
  const channelPost = (ticketId: number) =>
    waitFor(() => app.slack.callsTo('chat.postMessage').find((c) => c.args.channel === 'C0EXCH001' && c.status === 200 && JSON.stringify(c.args.blocks).includes(`HN-${ticketId}`)), 'the channel post');

  it('stores the email and phone of their Slack profile, and scrubs a description signed with them', async () => {
    expect((await submit(RITA.id, 'V0PROFILE1', 'Outlook crashes on start. Reach me at rita@corp.com or 415 555 0123. — Rita (Finance)')).status).toBe(200);
    const ticket = await waitFor(() => Ticket.findOne({ where: { source: 'slack', externalId: 'V0PROFILE1' } }), 'the ticket');
    const post = JSON.stringify((await channelPost(ticket.id)).args.blocks);
    const alias = (await TicketAlias.findOne({ where: { ticketId: ticket.id, side: 'customer' }, rejectOnEmpty: true })).name;
    expect(post).toContain(`Outlook crashes on start. Reach me at ${alias} or ${alias}. — ${alias}`);
    expect(post).not.toMatch(/rita|Okafor|555.0123/i);
    const customer = await Customer.findByPk(ticket.customerId, { rejectOnEmpty: true });
    expect(customer).toMatchObject({ name: 'Rita Okafor', email: 'rita@corp.com', phone: '+1 (415) 555-0123', slackUserId: RITA.id });
  });

  it('answers the modal at once while Slack is slow to describe the requester, and posts the ticket only once it has, scrubbed', async () => {
    const sam = { id: 'U0SLOW0001', name: 'sam.slow', real_name: 'Samira Slowik', display_name: 'Sam S', email: 'samira@corp.com', phone: '+44 7700 900123' };
    app.slack.addUser(sam);
    app.slack.http.inject('users.info', { kind: 'delay', ms: 5000 });
    const started = Date.now();
    const res = await submit(sam.id, 'V0SLOWPRO1', 'Shared calendar is empty. Samira Slowik (Sam S), samira@corp.com, 07700 900123');
    const answeredIn = Date.now() - started;
    expect(res.status).toBe(200);
    expect(answeredIn).toBeLessThan(1500);
    // Filed, and nothing about it in Slack until the profile is known.
    const ticket = await Ticket.findOne({ where: { source: 'slack', externalId: 'V0SLOWPRO1' }, rejectOnEmpty: true });
    expect(ticket.status).toBe('open');
    const aboutIt = () => app.slack.callsTo('chat.postMessage').filter((c) => JSON.stringify(c.args).includes(`HN-${ticket.id}`));
    expect(aboutIt()).toEqual([]);

    const post = await waitFor(() => aboutIt().find((c) => c.args.channel === 'C0EXCH001' && c.status === 200), 'the channel post', 15_000);
    const described = app.slack.callsTo('users.info').find((c) => c.args.user === sam.id)!;
    expect(post.at.getTime()).toBeGreaterThanOrEqual(described.at.getTime());
    const alias = (await TicketAlias.findOne({ where: { ticketId: ticket.id, side: 'customer' }, rejectOnEmpty: true })).name;
    expect(JSON.stringify(post.args.blocks)).toContain(`Shared calendar is empty. ${alias} (${alias}), ${alias}, ${alias}`);
    const dm = await waitFor(() => aboutIt().find((c) => c.args.channel === sam.id && c.status === 200), 'the requester’s confirmation');
    expect(dm.at.getTime()).toBeGreaterThanOrEqual(described.at.getTime());
    expect((await Ticket.findByPk(ticket.id, { rejectOnEmpty: true })).status).toBe('dispatched');
    expect(JSON.stringify(aboutIt().map((c) => c.args))).not.toMatch(/Samira|Slowik|Sam S|samira@|900123/);
    // One ticket, one post, one confirmation, however the jobs ran.
    expect(await Ticket.count({ where: { source: 'slack', externalId: 'V0SLOWPRO1' } })).toBe(1);
    expect(aboutIt().filter((c) => c.args.channel === 'C0EXCH001')).toHaveLength(1);
    expect(aboutIt().filter((c) => c.args.channel === sam.id)).toHaveLength(1);
    // A late repeat of the job's work finds the ticket dispatched and does nothing.
    expect(await dispatchFiledTicket(app.server.services, ticket.id)).toBe('stale');
  });

  it('dispatches at once when Slack will not describe the requester', async () => {
    // Not a user the fake Slack knows: users.info answers user_not_found.
    await submit('U0GHOST001', 'V0GHOSTPR1', 'The VPN drops every ten minutes since Monday.');
    const ticket = await waitFor(() => Ticket.findOne({ where: { source: 'slack', externalId: 'V0GHOSTPR1' } }), 'the ticket');
    await channelPost(ticket.id);
    await waitFor(() => app.slack.callsTo('chat.postMessage').find((c) => c.args.channel === 'U0GHOST001' && c.status === 200), 'the requester’s confirmation');
    expect(app.slack.callsTo('users.info').filter((c) => c.args.user === 'U0GHOST001')).toHaveLength(1);
  });

  it('tries a failing users.info a few times with backoff, then dispatches without the profile', async () => {
    app.slack.addUser({ id: 'U0FLAKY001', name: 'fay.flaky', real_name: 'Fay Flaky' });
    app.slack.http.inject('users.info', { kind: 'status', status: 500 }, 10);
    try {
      await submit('U0FLAKY001', 'V0FLAKYPR1', 'Distribution list members get every mail twice.');
      const ticket = await waitFor(() => Ticket.findOne({ where: { source: 'slack', externalId: 'V0FLAKYPR1' } }), 'the ticket');
      await waitFor(() => app.slack.callsTo('chat.postMessage').find((c) => c.args.channel === 'C0EXCH001' && c.status === 200 && JSON.stringify(c.args.blocks).includes(`HN-${ticket.id}`)), 'the channel post', 15_000);
      const calls = app.slack.http.callsTo('users.info').filter((c) => c.body.user === 'U0FLAKY001');
      expect(calls.map((c) => c.status)).toEqual([500, 500, 500]);
      // With backoff between them: 1 s, then 2 s.
      expect(calls[2]!.at.getTime() - calls[0]!.at.getTime()).toBeGreaterThanOrEqual(2900);
    } finally {
      app.slack.http.clearFaults();
    }
  });
});
