import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TicketAlias, TicketMessage } from '../../src/db/models/index.ts';
import { startTestApp, type TestApp } from '../support/start-test-app.ts';
import { TEST_ENGINE } from '../support/test-database.ts';
import { sleep, waitFor } from '../support/wait-for.ts';
import { bookedZendeskTicket, helpnetComments, slackPeople } from './support.ts';

describe(`a released expert alias on ${TEST_ENGINE}`, () => {
  let app: TestApp;
  let people: ReturnType<typeof slackPeople>;
  beforeAll(async () => {
    app = await startTestApp();
    people = slackPeople(app);
  });
  afterAll(async () => {
    await app.close();
  });

  it('an expert who released a ticket and booked it again cannot write in the old thread: refused, nothing reaches the customer', async () => {
    const { expert, zd, ticket, thread: oldThread } = await bookedZendeskTicket(app, people, { description: 'Room mailboxes decline every meeting.' });
    const firstAlias = await TicketAlias.findOne({ where: { ticketId: ticket.id, side: 'expert' }, rejectOnEmpty: true });

    await app.slackRequests.blockActions({ user_id: expert.slackUserId!, action_id: 'ticket.release', value: `HN-${ticket.id}`, channel_id: `D${expert.slackUserId!.slice(1)}` });
    await waitFor(() => helpnetComments(app, zd.id).some((c) => c.body.includes('had to hand it back')), 'the customer told of the release');
    // The same expert takes it back: the ticket is theirs again, under a new alias, in a new thread.
    await people.book(expert, ticket.id);
    const newThread = await people.expertThread(expert, ticket.id, 1);
    await waitFor(() => helpnetComments(app, zd.id).filter((c) => c.body.includes('has taken your ticket')).length === 2, 'the customer told of the new booking');
    await firstAlias.reload();
    const secondAlias = await TicketAlias.findOne({ where: { ticketId: ticket.id, side: 'expert', releasedAt: null }, rejectOnEmpty: true });
    expect(firstAlias.releasedAt).not.toBeNull();
    expect(secondAlias.id).not.toBe(firstAlias.id);
    await ticket.reload();
    expect(ticket).toMatchObject({ status: 'booked', expertId: expert.id });

    // A reply in the old thread belongs to the released booking: refused there, sent nowhere.
    await people.dm(expert.slackUserId!, 'Late note from the old thread', { threadTs: oldThread.ts });
    await waitFor(() => people.replies(oldThread).some((m) => m.text?.includes(`You no longer have *HN-${ticket.id}*, so this message was not passed on.`)), 'the refusal in the old thread');
    // The new thread still works, and its message goes after the refused one would have.
    await people.dm(expert.slackUserId!, 'Note from the new thread', { threadTs: newThread.ts });
    const sent = await waitFor(() => helpnetComments(app, zd.id).find((c) => c.body.endsWith('Note from the new thread')), 'the new thread’s message');
    expect(sent.body.startsWith(`Expert ${secondAlias.name}:`)).toBe(true);
    await sleep(300);
    expect(helpnetComments(app, zd.id).map((c) => c.body).join('\n')).not.toContain('Late note');
    expect(await TicketMessage.count({ where: { ticketId: ticket.id, body: 'Late note from the old thread' } })).toBe(0);
    expect(people.replies(newThread).map((m) => m.text).join('\n')).not.toContain('Late note');
  });
});
