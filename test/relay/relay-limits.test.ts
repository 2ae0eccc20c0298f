import { QueryTypes } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Category, MessageDelivery, Ticket, TicketAlias, TicketMessage } from '../../src/db/models/index.ts';
import { releaseAliases } from '../../src/domain/aliases/assign-alias.ts';
import { UPDATE_WINDOW_MS, UPDATES_PER_WINDOW } from '../../src/zendesk/send-ticket-comments.ts';
import { postToApp } from '../support/post-to-app.ts';
import { startTestApp, type TestApp } from '../support/start-test-app.ts';
import { TEST_ENGINE } from '../support/test-database.ts';
import { sleep, waitFor } from '../support/wait-for.ts';
import { bookedZendeskTicket, helpnetComments, slackPeople } from './support.ts';

describe(`relay limits and alias safety on ${TEST_ENGINE}`, () => {
  let app: TestApp;
  let people: ReturnType<typeof slackPeople>;
  beforeAll(async () => {
    app = await startTestApp();
    people = slackPeople(app);
  });
  afterAll(async () => {
    await app.close();
  });

  const bookedTicket = (description: string) => bookedZendeskTicket(app, people, { description });

  it('past Zendesk’s per-ticket update budget, waits for the window and then sends what piled up as one comment', async () => {
    const { expert, zd, ticket, thread } = await bookedTicket('Calendar sharing is broken.');
    // The ticket has had its fill of updates in the last ten minutes.
    const recently = new Date(Date.now() - 60_000);
    for (let i = 0; i < UPDATES_PER_WINDOW; i++) {
      const earlier = await TicketMessage.create({ ticketId: ticket.id, side: 'system', aliasName: null, expertId: null, body: `earlier ${i}`, via: 'helpnet', sourceKey: null });
      await MessageDelivery.create({ messageId: earlier.id, ticketId: ticket.id, channel: 'zendesk', status: 'delivered', batchKey: `earlier-${i}`, deliveredAt: recently });
    }
    for (const text of ['first', 'second', 'third']) await people.dm(expert.slackUserId!, `budget ${text}`, { threadTs: thread.ts });
    await waitFor(async () => (await MessageDelivery.count({ where: { ticketId: ticket.id, channel: 'zendesk', status: 'pending' } })) === 3, 'three waiting');
    await sleep(1000);
    expect(helpnetComments(app, zd.id).some((c) => c.body.includes('budget'))).toBe(false);
    // The job waits until the oldest of those updates leaves the window (about nine minutes).
    const [job] = await app.server.db.sequelize.query<{ next_run_at: number }>("SELECT next_run_at FROM agenda_jobs WHERE name = 'relay.zendesk' AND next_run_at IS NOT NULL ORDER BY next_run_at DESC LIMIT 1", { type: QueryTypes.SELECT });
    expect(Number(job!.next_run_at) - Date.now()).toBeGreaterThan(UPDATE_WINDOW_MS - 120_000);

    // Time passes: the earlier updates leave the window, and the job comes due.
    await MessageDelivery.update({ deliveredAt: new Date(Date.now() - UPDATE_WINDOW_MS - 1000) }, { where: { ticketId: ticket.id, status: 'delivered' } });
    await app.server.db.sequelize.query("UPDATE agenda_jobs SET next_run_at = ? WHERE name = 'relay.zendesk' AND next_run_at IS NOT NULL", { replacements: [Date.now()] });
    const comment = await waitFor(() => helpnetComments(app, zd.id).find((c) => c.body.includes('budget')), 'the coalesced comment', 15_000);
    expect(comment.body).toMatch(/^Expert [^:]+:\nbudget first\n\nbudget second\n\nbudget third$/);
    await sleep(500);
    expect(helpnetComments(app, zd.id).filter((c) => c.body.includes('budget'))).toHaveLength(1);
  });

  it('a comment Zendesk took but never confirmed is not sent again; a repeat of an earlier message that failed is', async () => {
    const { expert, zd, thread } = await bookedTicket('Mail flow rules ignore the exception list.');
    const put = 'PUT /api/v2/tickets/:id';
    const said = (text: string) => helpnetComments(app, zd.id).filter((c) => c.body.endsWith(text)).length;

    // Zendesk adds the comment, but the answer is lost: the retry finds it and sends nothing.
    app.zendesk.http.inject(put, { kind: 'dropAfterReply' });
    await people.dm(expert.slackUserId!, 'Check the rule priority.', { threadTs: thread.ts });
    await waitFor(() => said('Check the rule priority.') === 1, 'the first comment');
    await waitFor(async () => (await MessageDelivery.count({ where: { channel: 'zendesk', status: 'sending' } })) === 0, 'the batch confirmed', 15_000);
    await sleep(300);
    expect(said('Check the rule priority.')).toBe(1);

    // The same words again later: the first attempt never reaches Zendesk, and the earlier
    // identical comment must not be taken for this one.
    app.zendesk.http.inject(put, { kind: 'drop' });
    await people.dm(expert.slackUserId!, 'Check the rule priority.', { threadTs: thread.ts });
    await waitFor(() => said('Check the rule priority.') === 2, 'the repeated comment', 15_000);
    await sleep(300);
    expect(said('Check the rule priority.')).toBe(2);
    expect(app.zendesk.calls.filter((c) => c.route === put && c.rawBody.includes('rule priority')).map((c) => c.status)).toEqual([0, 0, 200]);
  });

  it('records as failed what waited for a Zendesk ticket that no longer exists, and does not retry it', async () => {
    const { expert, zd, ticket, thread } = await bookedTicket('Shared calendar is gone.');
    // A send that stopped halfway (its batch marked, Zendesk's answer never recorded)…
    const earlier = await TicketMessage.create({ ticketId: ticket.id, side: 'expert', aliasName: 'Someone', expertId: expert.id, body: 'an unconfirmed one', via: 'slack', sourceKey: `test:unconfirmed:${ticket.id}` });
    await MessageDelivery.create({ messageId: earlier.id, ticketId: ticket.id, channel: 'zendesk', status: 'sending', batchKey: `unconfirmed-${ticket.id}` });
    // …and meanwhile the ticket was deleted in Zendesk.
    app.zendesk.tickets.delete(zd.id);
    app.zendesk.comments.delete(zd.id);
    await people.dm(expert.slackUserId!, 'Anyone there?', { threadTs: thread.ts });
    await waitFor(async () => (await MessageDelivery.count({ where: { ticketId: ticket.id, channel: 'zendesk', status: 'failed' } })) === 2, 'both deliveries recorded as failed');
    const failed = await MessageDelivery.findAll({ where: { ticketId: ticket.id, channel: 'zendesk', status: 'failed' } });
    expect(failed.every((d) => d.lastError?.includes('404'))).toBe(true);
    await sleep(1500);
    expect(await MessageDelivery.count({ where: { ticketId: ticket.id, channel: 'zendesk', status: ['pending', 'sending'] } })).toBe(0);
  });

  it('an expert who released a ticket and books it again gets the customer’s next message once, in the new thread', async () => {
    const { expert, zd, ticket, thread: oldThread } = await bookedTicket('Archive mailbox is not showing.');
    await app.slackRequests.blockActions({ user_id: expert.slackUserId!, action_id: 'ticket.release', value: `HN-${ticket.id}`, channel_id: `D${expert.slackUserId!.slice(1)}` });
    await waitFor(() => helpnetComments(app, zd.id).some((c) => c.body.includes('had to hand it back')), 'the release told');
    // Slack is slow to describe the expert, so the new booking's thread comes late; the
    // customer writes in between.
    app.slack.http.inject('users.info', { kind: 'delay', ms: 1500 });
    await people.book(expert, ticket.id);
    app.zendesk.addComment(zd.id, { author_id: zd.requester_id, body: 'Is anyone there?' });
    await app.zendeskWebhooks.send({ ticket: { id: String(zd.id), updated_at: app.zendesk.tickets.get(zd.id)!.updated_at } });
    const newThread = await people.expertThread(expert, ticket.id, 1);
    await waitFor(() => people.replies(newThread).some((m) => m.text?.endsWith('Is anyone there?')), 'the message in the new thread');
    await sleep(500);
    expect(people.replies(newThread).filter((m) => m.text?.endsWith('Is anyone there?'))).toHaveLength(1);
    expect(people.replies(oldThread).filter((m) => m.text?.endsWith('Is anyone there?'))).toHaveLength(0);
  });

  it('a Retry-After from Zendesk holds off every sender of the ticket, not just the job that got it', async () => {
    const { expert, zd, thread } = await bookedTicket('Public folders are read-only.');
    const put = 'PUT /api/v2/tickets/:id';
    app.zendesk.http.inject(put, { kind: 'status', status: 429, retryAfterSeconds: 2 });
    await people.dm(expert.slackUserId!, 'Checking the permissions.', { threadTs: thread.ts });
    const limited = await waitFor(() => app.zendesk.calls.find((c) => c.route === put && c.status === 429), 'the 429');
    // A second message queues a second job while the first waits out the Retry-After.
    await people.dm(expert.slackUserId!, 'Found it: the default role.', { threadTs: thread.ts });
    await waitFor(() => helpnetComments(app, zd.id).some((c) => c.body.includes('default role')), 'both messages sent', 15_000);
    const after = app.zendesk.calls.filter((c) => c.route === put && c.at > limited.at);
    expect(after[0]!.at.getTime() - limited.at.getTime()).toBeGreaterThanOrEqual(1950);
    expect(helpnetComments(app, zd.id).filter((c) => c.body.includes('Checking the permissions.'))).toHaveLength(1);
  });

  it('relays a message as long as Slack allows, in any script', async () => {
    const { expert, zd, thread } = await bookedTicket('The shared mailbox rejects long replies.');
    const long = 'Ж'.repeat(35_000); // 70 KB in UTF-8
    await people.dm(expert.slackUserId!, long, { threadTs: thread.ts });
    const comment = await waitFor(() => helpnetComments(app, zd.id).find((c) => c.body.includes('ЖЖЖ')), 'the long comment');
    expect(comment.body.endsWith(long)).toBe(true);
    // A reply also sent to the conversation ("Also send to direct message") is a reply all the same.
    await people.dm(expert.slackUserId!, 'And one broadcast.', { threadTs: thread.ts, subtype: 'thread_broadcast' });
    await waitFor(() => helpnetComments(app, zd.id).some((c) => c.body.endsWith('And one broadcast.')), 'the broadcast reply');
  });

  it('refuses messages to a closed ticket on every side, and delivers them to no one', async () => {
    const { expert, zd, ticket, thread } = await bookedTicket('Public folders are read-only.');
    const category = await Category.findOne({ where: { key: 'ms-exchange' }, rejectOnEmpty: true });
    const filed = await postToApp(`${app.url}/api/widget/tickets`, { 'content-type': 'application/json' }, JSON.stringify({ name: 'Wim Widget', email: 'wim@customer.example', category: category.key, description: 'Cannot open attachments.' }));
    const { ticket: widgetId, token } = filed.json as { ticket: string; token: string };

    // Closing (done by the survey in a later release) releases the ticket's aliases.
    for (const id of [ticket.id, Number(widgetId.slice(3))]) {
      await app.server.db.unitOfWork(async (transaction) => {
        await Ticket.update({ status: 'closed', closedAt: new Date() }, { where: { id }, transaction });
        await releaseAliases(app.server.services, transaction, id);
      });
    }
    expect(await TicketAlias.count({ where: { ticketId: ticket.id, releasedAt: null } })).toBe(0);

    await people.dm(expert.slackUserId!, 'a late thought', { threadTs: thread.ts });
    await waitFor(() => people.replies(thread).some((m) => m.text?.includes('is closed')), 'the refusal in the thread');
    const late = await postToApp(`${app.url}/api/widget/tickets/${widgetId}/messages`, { 'content-type': 'application/json', authorization: `Bearer ${token}` }, JSON.stringify({ text: 'hello?' }));
    expect(late.status).toBe(409);
    expect((late.json as { message: string }).message).toContain('closed');

    app.zendesk.addComment(zd.id, { author_id: zd.requester_id, body: 'One more question' });
    await app.zendeskWebhooks.send({ ticket: { id: String(zd.id), updated_at: app.zendesk.tickets.get(zd.id)!.updated_at } });
    await waitFor(() => helpnetComments(app, zd.id).some((c) => c.body.includes('is closed, so your message was not passed on')), 'the answer on Zendesk');
    await sleep(300);
    expect(await TicketMessage.count({ where: { ticketId: ticket.id, side: ['customer', 'expert'] } })).toBe(0);
    expect(helpnetComments(app, zd.id).map((c) => c.body).join('\n')).not.toContain('a late thought');
    expect(people.replies(thread).map((m) => m.text).join('\n')).not.toContain('One more question');
  });
});
