import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Category, SlackMessage, TicketAlias, TicketMessage } from '../../src/db/models/index.ts';
import { createTicket } from '../../src/domain/tickets/create-ticket.ts';
import { createQualifiedExpert } from '../support/experts.ts';
import { startTestApp, type TestApp } from '../support/start-test-app.ts';
import { TEST_ENGINE } from '../support/test-database.ts';
import { sleep, waitFor } from '../support/wait-for.ts';
import { bookedZendeskTicket, helpnetComments, slackPeople } from './support.ts';

const NOT_YOURS = 'This thread is not yours';
const HINT = 'reply in the thread of that ticket';

/** Who may write in a ticket thread, and how a reply is tied to its thread: by the DM id Slack gave the thread's post. */
describe(`thread writers on ${TEST_ENGINE}`, () => {
  let app: TestApp;
  let people: ReturnType<typeof slackPeople>;
  beforeAll(async () => {
    app = await startTestApp();
    people = slackPeople(app);
  });
  afterAll(async () => {
    await app.close();
  });

  /** A DM event as Slack sends it, in any conversation, from any user. */
  let seq = 0;
  const write = (channel: string, user: string, text: string, threadTs: string) => {
    seq += 1;
    const ts = `${Math.floor(Date.now() / 1000)}.${String(900000 + seq)}`;
    return app.slackRequests.event({ type: 'message', channel, channel_type: 'im', user, text, ts, event_ts: ts, thread_ts: threadTs }, { event_id: `EvWriters${Date.now()}${seq}` });
  };
  const noticesIn = (channel: string, threadTs: string | undefined, text: string) => app.slack.messages.filter((m) => m.conversation === channel && m.thread_ts === threadTs && m.text?.includes(text));

  it('records the DM id Slack answers a thread’s post with, and takes a reply in that conversation as the expert’s', async () => {
    const { expert, zd, ticket, thread } = await bookedZendeskTicket(app, people, { description: 'Shared mailbox shows no new mail.' });
    const dm = app.slack.dmChannelOf(expert.slackUserId!);
    const row = await SlackMessage.findOne({ where: { ticketId: ticket.id, purpose: 'expert_thread' }, rejectOnEmpty: true });
    const alias = await TicketAlias.findOne({ where: { ticketId: ticket.id, side: 'expert' }, rejectOnEmpty: true });
    expect(row.channel).toBe(dm);
    expect(row.channel).not.toBe(expert.slackUserId);
    expect(row.aliasId).toBe(alias.id);
    expect(row.details).toBeNull();

    expect((await write(dm, expert.slackUserId!, 'Re-add the mailbox with automapping off.', thread.ts)).status).toBe(200);
    await waitFor(() => helpnetComments(app, zd.id).some((c) => c.body.includes('automapping off')), 'the reply on Zendesk');

    // The same thread ts in another conversation (here, a DM id worked out from the user id) is no ticket thread.
    const guessed = `D${expert.slackUserId!.slice(1)}`;
    expect(guessed).not.toBe(dm);
    await write(guessed, expert.slackUserId!, 'Not through this one.', thread.ts);
    await waitFor(() => noticesIn(guessed, undefined, HINT).length === 1, 'the hint');
    expect(await TicketMessage.count({ where: { ticketId: ticket.id, body: 'Not through this one.' } })).toBe(0);
  });

  it('refuses anyone but the thread’s expert in an expert’s thread, and anyone but the requester in a requester’s thread', async () => {
    const { expert, zd, ticket, thread } = await bookedZendeskTicket(app, people, { description: 'Meeting rooms decline every invite.', expert: { name: 'Owen Owner', email: 'owen@experts.example' } });
    const other = await createQualifiedExpert('exchange-l1', 'ms-exchange', { name: 'Ivy Intruder' });
    const dm = app.slack.dmChannelOf(expert.slackUserId!);
    await write(dm, other.slackUserId!, 'Another expert barging in.', thread.ts);
    await write(dm, 'U0STRANGER', 'Someone who is not an expert at all.', thread.ts);
    await waitFor(() => noticesIn(dm, thread.ts, NOT_YOURS).length === 2, 'two refusals in the thread');

    const requester = 'U0OWNREQ01';
    const category = await Category.findOne({ where: { key: 'ms-exchange' }, rejectOnEmpty: true });
    const slackTicket = (await createTicket(app.server.services, { source: 'slack', externalId: `V-writers-${Date.now()}`, categoryId: category.id, description: 'Room lists are empty.', customer: { slackUserId: requester, name: 'Rhea Requester' } })).ticket;
    const mine = await people.requesterThread(requester, slackTicket.id);
    const requesterDm = app.slack.dmChannelOf(requester);
    expect((await SlackMessage.findOne({ where: { ticketId: slackTicket.id, purpose: 'requester_confirmation' }, rejectOnEmpty: true })).channel).toBe(requesterDm);
    await write(requesterDm, expert.slackUserId!, 'An expert in the requester’s thread.', mine.ts);
    await waitFor(() => noticesIn(requesterDm, mine.ts, NOT_YOURS).length === 1, 'the refusal in the requester’s thread');
    // The requester is taken in: held until an expert books.
    await write(requesterDm, requester, 'The rooms vanished on Monday.', mine.ts);
    await waitFor(() => noticesIn(requesterDm, mine.ts, 'It will reach the expert').length === 1, 'the requester’s message held');

    await sleep(300);
    const bodies = (await TicketMessage.findAll({ where: { ticketId: [ticket.id, slackTicket.id] } })).map((m) => m.body);
    expect(bodies).toContain('The rooms vanished on Monday.');
    for (const refused of ['barging', 'not an expert', 'requester’s thread']) expect(bodies.join('\n')).not.toContain(refused);
    expect(helpnetComments(app, zd.id).map((c) => c.body).join('\n')).not.toMatch(/barging|not an expert/);
  });
});
