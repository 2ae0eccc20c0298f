import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Category, MessageDelivery, Ticket, TicketAlias, TicketMessage, type Expert } from '../../src/db/models/index.ts';
import { createTicket } from '../../src/domain/tickets/create-ticket.ts';
import { createQualifiedExpert } from '../support/experts.ts';
import { FakeSmtp } from '../support/fake-smtp.ts';
import { postToApp } from '../support/post-to-app.ts';
import { startTestApp, type TestApp } from '../support/start-test-app.ts';
import { TEST_ENGINE } from '../support/test-database.ts';
import { testRouting } from '../support/test-routing.ts';
import { sleep, waitFor } from '../support/wait-for.ts';
import { helpnetComments, slackPeople } from './support.ts';

const CUSTOMER = { name: 'Cathy Quinlan', email: 'cathy.quinlan@customer.example', phone: '+44 20 7946 0958' };
const EXPERT = { name: 'Priya Raman', email: 'priya.raman@experts.example' };

describe(`relay between expert and customer on ${TEST_ENGINE}`, () => {
  let app: TestApp;
  let smtp: FakeSmtp;
  let people: ReturnType<typeof slackPeople>;
  beforeAll(async () => {
    smtp = await FakeSmtp.start();
    app = await startTestApp({ env: { SMTP_URL: smtp.url, MAIL_FROM: 'Helpnet <help@helpnet.example>' } });
    people = slackPeople(app);
  });
  afterAll(async () => {
    await app.close();
    await smtp.stop();
  });

  const experts: Expert[] = [];
  const exchangeExpert = async (name = EXPERT.name, email = EXPERT.email) => {
    const expert = await createQualifiedExpert('exchange-l1', 'ms-exchange', { name, email });
    experts.push(expert);
    return expert;
  };
  const aliasOf = async (ticketId: number, side: 'customer' | 'expert') =>
    (await TicketAlias.findOne({ where: { ticketId, side }, order: [['id', 'DESC']], rejectOnEmpty: true })).name;

  async function fileZendeskTicket(description: string) {
    const zd = app.zendesk.addTicket({ description, requester: CUSTOMER, tags: ['ms-exchange'] });
    await app.zendeskWebhooks.send({ ticket: { id: String(zd.id), updated_at: zd.updated_at } });
    const ticket = await waitFor(() => Ticket.findOne({ where: { source: 'zendesk', externalId: String(zd.id) } }), 'the Zendesk ticket filed');
    return { zd, ticket };
  }

  it('Zendesk: the expert’s thread replies become public comments, the customer’s comments come back, each once and in order', async () => {
    const expert = await exchangeExpert();
    const { zd, ticket } = await fileZendeskTicket('Outlook keeps asking for my password since the update.');
    expect((await people.book(expert, ticket.id)).status).toBe(200);
    const thread = await people.expertThread(expert, ticket.id);
    const expertAlias = await aliasOf(ticket.id, 'expert');
    const customerAlias = await aliasOf(ticket.id, 'customer');

    // The customer is told on their channel, under the expert's alias.
    await waitFor(() => helpnetComments(app, zd.id).some((c) => c.body === `Expert ${expertAlias} has taken your ticket HN-${ticket.id}.`), 'the booking comment');

    // Two quick replies, the first delivered twice by Slack.
    await people.dm(expert.slackUserId!, 'Hi, Priya here. Try <https://support.example/reset|the reset page>, cc <@U0SOMEONE> <!here>', { threadTs: thread.ts, eventId: 'EvZD1' });
    await people.dm(expert.slackUserId!, 'Then restart Outlook &amp; tell me what you see.', { threadTs: thread.ts, eventId: 'EvZD2' });
    await people.dm(expert.slackUserId!, 'Hi, Priya here. Try <https://support.example/reset|the reset page>, cc <@U0SOMEONE> <!here>', { threadTs: thread.ts, eventId: 'EvZD1', retryNum: 1 });
    await waitFor(() => helpnetComments(app, zd.id).some((c) => c.body.includes('restart Outlook')), 'the relayed comments');
    await sleep(300);
    const relayed = helpnetComments(app, zd.id).map((c) => c.body).join('\n---\n');
    expect(relayed.match(/the reset page/g)).toHaveLength(1);
    expect(relayed.indexOf('the reset page')).toBeLessThan(relayed.indexOf('restart Outlook'));
    expect(relayed).toContain(`Expert ${expertAlias}:`);
    expect(relayed).toContain('Hi, ' + expertAlias + ' here. Try the reset page (https://support.example/reset), cc @someone');
    expect(relayed).toContain('restart Outlook & tell me');
    expect(relayed).not.toMatch(/Priya|U0SOMEONE|<!here>|@here/);

    // The customer answers in Zendesk; the webhook arrives twice, plus an event webhook.
    app.zendesk.addComment(zd.id, { author_id: zd.requester_id, body: 'Restarted it, works now. Thanks! Cathy Quinlan, +44 20 7946 0958' });
    const t = app.zendesk.tickets.get(zd.id)!;
    await app.zendeskWebhooks.send({ ticket: { id: String(zd.id), updated_at: t.updated_at } });
    await app.zendeskWebhooks.send({ ticket: { id: String(zd.id), updated_at: t.updated_at } });
    await app.zendeskWebhooks.send({ id: 'evt-comment-1', type: 'zen:event-type:ticket.comment_added', detail: { id: String(zd.id) } });
    await waitFor(() => people.replies(thread).some((m) => m.text?.includes('works now')), 'the customer’s reply in the expert’s thread');
    await sleep(500);
    const replies = people.replies(thread);
    expect(replies.filter((m) => m.text?.includes('works now'))).toHaveLength(1);
    const reply = replies.find((m) => m.text?.includes('works now'))!.text!;
    expect(reply).toBe(`*Customer ${customerAlias}:* Restarted it, works now. Thanks! ${customerAlias}, ${customerAlias}`);
    // Neither Helpnet's own comments nor the internal note come back as the customer's.
    expect(replies.map((m) => m.text).join('\n')).not.toMatch(/restart Outlook|routed to|has taken your ticket/);
    expect(await TicketMessage.count({ where: { ticketId: ticket.id } })).toBe(4);
  });

  it('Zendesk: a colleague copied on the ticket who replies is relayed as the customer, with their own identity scrubbed', async () => {
    const expert = await exchangeExpert('Ivo Karlsson', 'ivo@experts.example');
    const { zd, ticket } = await fileZendeskTicket('Room mailbox does not accept bookings.');
    await people.book(expert, ticket.id);
    const thread = await people.expertThread(expert, ticket.id);
    const customerAlias = await aliasOf(ticket.id, 'customer');
    const colleague = app.zendesk.addUser({ name: 'Dieter Colleague', email: 'dieter@customer.example', phone: '+49 30 1234 5678' });
    app.zendesk.addComment(zd.id, { author_id: colleague.id, body: 'Same here. Dieter Colleague, 030 1234 5678, dieter@customer.example' });
    await app.zendeskWebhooks.send({ ticket: { id: String(zd.id), updated_at: app.zendesk.tickets.get(zd.id)!.updated_at } });
    await waitFor(() => people.replies(thread).some((m) => m.text?.includes('Same here')), 'the colleague’s reply');
    expect(people.replies(thread).find((m) => m.text?.includes('Same here'))!.text).toBe(`*Customer ${customerAlias}:* Same here. ${customerAlias}, ${customerAlias}, ${customerAlias}`);
  });

  it('Zendesk: a 429 with Retry-After and then 500s during a relay deliver the message exactly once afterwards', async () => {
    const expert = await exchangeExpert('Ola Nordmann', 'ola@experts.example');
    const { zd, ticket } = await fileZendeskTicket('Shared mailbox vanished from Outlook.');
    await people.book(expert, ticket.id);
    const thread = await people.expertThread(expert, ticket.id);
    await waitFor(() => helpnetComments(app, zd.id).length === 1, 'the booking comment');
    await waitFor(() => app.zendesk.comments.get(zd.id)!.some((c) => !c.public && c.body.includes('routed to')), 'the internal note');

    app.zendesk.http.inject('PUT /api/v2/tickets/:id', { kind: 'status', status: 429, retryAfterSeconds: 1 });
    app.zendesk.http.inject('PUT /api/v2/tickets/:id', { kind: 'status', status: 500 }, 2);
    await people.dm(expert.slackUserId!, 'Re-add it under Account Settings, please.', { threadTs: thread.ts });
    await waitFor(() => helpnetComments(app, zd.id).some((c) => c.body.includes('Account Settings')), 'the comment after the faults', 20_000);
    await sleep(500);
    expect(helpnetComments(app, zd.id).filter((c) => c.body.includes('Account Settings'))).toHaveLength(1);
    const puts = app.zendesk.calls.filter((c) => c.route === 'PUT /api/v2/tickets/:id' && c.rawBody.includes('Account Settings'));
    expect(puts.map((c) => c.status)).toEqual([429, 500, 500, 200]);
    expect(puts[1]!.at.getTime() - puts[0]!.at.getTime()).toBeGreaterThanOrEqual(950); // Retry-After honoured
    expect(await MessageDelivery.count({ where: { ticketId: ticket.id, status: 'delivered' } })).toBe(2);
  });

  it('Slack requester: a message before booking is held for the expert; then both sides talk in their own threads, in order', async () => {
    const expert = await exchangeExpert('Tomasz Wilk', 'tomasz@experts.example');
    const requester = 'U0REQUEST1';
    const category = await Category.findOne({ where: { key: 'ms-exchange' }, rejectOnEmpty: true });
    const { ticket } = await createTicket(app.server.services, {
      source: 'slack',
      externalId: `V-relay-${Date.now()}`,
      categoryId: category.id,
      description: 'Calendar invites arrive twice.',
      customer: { slackUserId: requester, name: 'Rita Requester' },
    });
    const mine = await people.requesterThread(requester, ticket.id);
    await people.dm(requester, 'Also: it started after I added my phone. Rita', { threadTs: mine.ts });
    await waitFor(() => people.replies(mine).some((m) => m.text?.includes('It will reach the expert')), 'the held notice');

    await people.book(expert, ticket.id);
    const thread = await people.expertThread(expert, ticket.id);
    const expertAlias = await aliasOf(ticket.id, 'expert');
    const customerAlias = await aliasOf(ticket.id, 'customer');
    await waitFor(() => people.replies(thread).some((m) => m.text === `*Customer ${customerAlias}:* Also: it started after I added my phone. ${customerAlias}`), 'the held message');
    await waitFor(() => people.replies(mine).some((m) => m.text === `Expert ${expertAlias} has taken your ticket HN-${ticket.id}.`), 'the booking notice');

    for (let i = 1; i <= 5; i++) await people.dm(expert.slackUserId!, `step ${i}`, { threadTs: thread.ts });
    for (let i = 1; i <= 3; i++) await people.dm(requester, `answer ${i} <@${expert.slackUserId}>`, { threadTs: mine.ts });
    await waitFor(() => people.replies(mine).filter((m) => m.text?.startsWith(`*Expert ${expertAlias}:* step`)).length === 5, 'five steps');
    await waitFor(() => people.replies(thread).filter((m) => m.text?.includes('answer')).length === 3, 'three answers');
    expect(people.replies(mine).filter((m) => m.text?.includes('step')).map((m) => m.text)).toEqual([1, 2, 3, 4, 5].map((i) => `*Expert ${expertAlias}:* step ${i}`));
    expect(people.replies(thread).filter((m) => m.text?.includes('answer')).map((m) => m.text)).toEqual([1, 2, 3].map((i) => `*Customer ${customerAlias}:* answer ${i} @someone`));

    // Neither side's Slack identity reaches the other.
    expect(JSON.stringify(app.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === requester))).not.toMatch(new RegExp(`${expert.slackUserId}|Tomasz|tomasz@`));
    expect(JSON.stringify(app.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === expert.slackUserId))).not.toMatch(/U0REQUEST1|Rita/);
  });

  it('widget: messages by API with the access token, email for each expert message, another token gets 404', async () => {
    const expert = await exchangeExpert('Greta Lind', 'greta@experts.example');
    const filed = await postToApp(`${app.url}/api/widget/tickets`, { 'content-type': 'application/json' }, JSON.stringify({ ...CUSTOMER, category: 'ms-exchange', description: 'Out-of-office replies are not sent.' }));
    expect(filed.status).toBe(201);
    const { ticket: publicId, token } = filed.json as { ticket: string; token: string };
    const ticketId = Number(publicId.slice(3));
    const other = await postToApp(`${app.url}/api/widget/tickets`, { 'content-type': 'application/json' }, JSON.stringify({ name: 'Other', email: 'other@customer.example', category: 'ms-exchange', description: 'Another customer entirely.' }));
    const otherToken = (other.json as { token: string }).token;
    const messages = (t: string, id = publicId) => fetch(`${app.url}/api/widget/tickets/${id}/messages`, { headers: { authorization: `Bearer ${t}` } });
    const say = (text: string, t = token, key?: string) =>
      postToApp(`${app.url}/api/widget/tickets/${publicId}/messages`, { 'content-type': 'application/json', authorization: `Bearer ${t}`, ...(key ? { 'idempotency-key': key } : {}) }, JSON.stringify({ text }));

    expect((await messages(otherToken)).status).toBe(404);
    expect((await messages('not-a-token')).status).toBe(404);
    expect((await say('let me in', otherToken)).status).toBe(404);
    expect((await fetch(`${app.url}/api/widget/tickets/${publicId}/messages`)).status).toBe(404);

    await people.book(expert, ticketId);
    const thread = await people.expertThread(expert, ticketId);
    const expertAlias = await aliasOf(ticketId, 'expert');
    await waitFor(() => smtp.mails.find((m) => m.to.includes(CUSTOMER.email) && m.text.includes(`Expert ${expertAlias} has taken your ticket ${publicId}`)), 'the booking email');

    // SMTP refuses for a while: the email is retried and arrives once.
    await smtp.refuseConnections();
    await people.dm(expert.slackUserId!, 'Which mailbox is it, yours or a shared one?', { threadTs: thread.ts });
    await waitFor(async () => (await MessageDelivery.findOne({ where: { ticketId, channel: 'email', attempts: 1, status: 'pending' } })) !== null, 'a failed attempt');
    await smtp.acceptConnections();
    const mail = await waitFor(() => smtp.mails.find((m) => m.text.includes('yours or a shared one')), 'the message email', 20_000);
    expect(mail.subject).toBe(`[${publicId}] Expert ${expertAlias}: Which mailbox is it, yours or a shared one?`);
    expect(mail.to).toEqual([CUSTOMER.email]);

    const seen = (await (await messages(token)).json()) as { status: string; expert: string; messages: { from: string; name: string; text: string }[] };
    expect(seen.status).toBe('booked');
    expect(seen.expert).toBe(`Expert ${expertAlias}`);
    expect(seen.messages.map((m) => [m.from, m.name, m.text])).toEqual([
      ['helpnet', 'Helpnet', `Expert ${expertAlias} has taken your ticket ${publicId}.`],
      ['expert', `Expert ${expertAlias}`, 'Which mailbox is it, yours or a shared one?'],
    ]);

    const first = await say('Mine. It is cathy.quinlan@customer.example', token, 'widget-key-0001');
    expect(first.status).toBe(201);
    expect((await say('Mine. It is cathy.quinlan@customer.example', token, 'widget-key-0001')).status).toBe(200);
    expect((await say('', token)).status).toBe(400);
    const customerAlias = await aliasOf(ticketId, 'customer');
    await waitFor(() => people.replies(thread).some((m) => m.text === `*Customer ${customerAlias}:* Mine. It is ${customerAlias}`), 'the widget message in the thread');
    await sleep(300);
    expect(people.replies(thread).filter((m) => m.text?.includes('Mine.'))).toHaveLength(1);
    await sleep(200);
    expect(smtp.mails.filter((m) => m.text.includes('yours or a shared one'))).toHaveLength(1);
  });

  it('release: the ticket is dispatched again, the old thread is refused, and the next expert sees the conversation so far', async () => {
    const first = await exchangeExpert('Hana Sato', 'hana@experts.example');
    const second = await exchangeExpert('Ivan Petrov', 'ivan@experts.example');
    const { zd, ticket } = await fileZendeskTicket('Autodiscover fails for new hires.');
    await people.book(first, ticket.id);
    const oldThread = await people.expertThread(first, ticket.id);
    await people.dm(first.slackUserId!, 'Checking the DNS records now.', { threadTs: oldThread.ts });
    await waitFor(() => helpnetComments(app, zd.id).some((c) => c.body.includes('DNS records')), 'the first expert’s comment');
    const firstAlias = await aliasOf(ticket.id, 'expert');

    const posts = () => app.slack.messages.filter((m) => m.channel === 'C0EXCH001' && JSON.stringify(m.blocks).includes(`*HN-${ticket.id}*`));
    expect(posts()).toHaveLength(1);
    await app.slackRequests.blockActions({ user_id: first.slackUserId!, action_id: 'ticket.release', value: `HN-${ticket.id}`, channel_id: `D${first.slackUserId!.slice(1)}` });
    await waitFor(() => posts().length === 2, 'the ticket posted again to tier 1');
    await waitFor(() => JSON.stringify(posts()[0]!.blocks).includes('Released') && !JSON.stringify(posts()[0]!.blocks).includes('ticket.book'), 'the old post no longer bookable');
    expect(JSON.stringify(posts()[1]!.blocks)).toContain('ticket.book');
    await waitFor(() => JSON.stringify(oldThread.blocks).includes('You released this ticket'), 'the old thread marked released');
    await waitFor(() => helpnetComments(app, zd.id).some((c) => c.body.includes('had to hand it back')), 'the customer told');
    expect((await TicketAlias.findOne({ where: { ticketId: ticket.id, side: 'expert', name: firstAlias }, rejectOnEmpty: true })).releasedAt).not.toBeNull();

    // A late reply in the released thread is refused and goes nowhere.
    await people.dm(first.slackUserId!, 'One more thing I forgot', { threadTs: oldThread.ts });
    await waitFor(() => people.replies(oldThread).some((m) => m.text?.includes('You no longer have')), 'the refusal');

    await people.book(second, ticket.id);
    const newThread = await people.expertThread(second, ticket.id);
    const secondAlias = await aliasOf(ticket.id, 'expert');
    expect(secondAlias).not.toBe(firstAlias);
    await waitFor(() => people.replies(newThread).some((m) => m.text === `*Expert ${firstAlias}:* Checking the DNS records now.`), 'the history in the new thread');
    await sleep(300);
    expect(helpnetComments(app, zd.id).map((c) => c.body).join('\n')).not.toContain('One more thing');
    expect(people.replies(newThread).map((m) => m.text).join('\n')).not.toContain('One more thing');
  });

  it('resolve: the modal moves the ticket to close_pending and tells the customer; a DM outside any thread gets a hint', async () => {
    const expert = await exchangeExpert('Lea Vogel', 'lea@experts.example');
    const { zd, ticket } = await fileZendeskTicket('Mobile mail stopped syncing.');
    await people.book(expert, ticket.id);
    const thread = await people.expertThread(expert, ticket.id);
    await app.slackRequests.blockActions({ user_id: expert.slackUserId!, action_id: 'ticket.resolve', value: `HN-${ticket.id}`, channel_id: `D${expert.slackUserId!.slice(1)}`, trigger_id: 'trigger.resolve.1' });
    const opened = await waitFor(() => app.slack.callsTo('views.open').find((c) => (c.args.view as { callback_id?: string }).callback_id === 'ticket.resolve' && c.args.trigger_id === 'trigger.resolve.1'), 'the resolve modal');
    const view = opened.args.view as { private_metadata: string };
    const submit = (notes: string) =>
      app.slackRequests.viewSubmission({ user_id: expert.slackUserId!, callback_id: 'ticket.resolve', private_metadata: view.private_metadata, values: { notes: { value: { type: 'plain_text_input', value: notes } } } });
    const empty = await submit(' ');
    expect(empty.json).toMatchObject({ response_action: 'errors', errors: { notes: expect.any(String) } });
    expect((await submit('ActiveSync device quarantine; released the device.')).status).toBe(200);
    await ticket.reload();
    expect(ticket.status).toBe('close_pending');
    expect(ticket.resolutionNotes).toBe('ActiveSync device quarantine; released the device.');
    await waitFor(() => helpnetComments(app, zd.id).some((c) => c.body.includes('marked your ticket') && c.body.includes('resolved')), 'the customer told');
    await waitFor(() => JSON.stringify(thread.blocks).includes('Resolved') && !JSON.stringify(thread.blocks).includes('ticket.release'), 'the thread marked resolved');

    await people.dm(expert.slackUserId!, 'hello?');
    await waitFor(() => app.slack.messages.some((m) => m.channel === app.slack.dmChannelOf(expert.slackUserId!) && !m.thread_ts && m.text?.includes('reply in the thread')), 'the hint');
  });
  it('edits and deletions in a ticket thread are not passed on, and the writer is told so once', async () => {
    const expert = await exchangeExpert('Edda Edits', 'edda@experts.example');
    const { zd, ticket } = await fileZendeskTicket('Autodiscover fails for new mailboxes.');
    await people.book(expert, ticket.id);
    const thread = await people.expertThread(expert, ticket.id);
    await waitFor(() => helpnetComments(app, zd.id).length === 1, 'the booking comment');
    const user = expert.slackUserId!;
    const reply = `${Math.floor(Date.now() / 1000)}.424242`;
    await people.dm(user, 'Set the CNAME to autodiscover.outlook.com', { threadTs: thread.ts });
    await waitFor(() => helpnetComments(app, zd.id).some((c) => c.body.includes('CNAME')), 'the relayed reply');
    const notices = () => people.replies(thread).filter((m) => /Edits are not passed on|does not take it back/.test(m.text ?? ''));

    // A real edit, delivered twice by Slack; then a deletion.
    await people.change(user, 'edited', { threadTs: thread.ts, ts: reply, before: 'Set the CNAME to autodiscover.outlook.com', after: 'Set the CNAME to autodiscover.contoso.com', eventId: 'EvEdit1' });
    await people.change(user, 'edited', { threadTs: thread.ts, ts: reply, before: 'Set the CNAME to autodiscover.outlook.com', after: 'Set the CNAME to autodiscover.contoso.com', eventId: 'EvEdit1' });
    await people.change(user, 'deleted', { threadTs: thread.ts, ts: reply, before: 'Set the CNAME to autodiscover.contoso.com' });
    // Not edits: Slack adding a link preview (same text), the bot updating its own message, a change outside any thread.
    await people.change(user, 'edited', { threadTs: thread.ts, ts: reply, before: 'See https://aka.ms/autodiscover' });
    await people.change(user, 'edited', { threadTs: thread.ts, ts: reply, before: 'old', after: 'new', botId: 'B0HELPNET' });
    await people.change(user, 'edited', { threadTs: reply, ts: reply, before: 'a', after: 'b' });
    await waitFor(() => notices().length === 2, 'two notices');
    await sleep(300);
    expect(notices().map((m) => m.text)).toEqual([expect.stringContaining('Edits are not passed on'), expect.stringContaining('does not take it back')]);
    // The customer still has the original only.
    const relayed = helpnetComments(app, zd.id).map((c) => c.body).join('\n');
    expect(relayed).toContain('autodiscover.outlook.com');
    expect(relayed).not.toContain('contoso');
  });

  it('privacy sweep: no Slack call carries the customer’s identity; no Zendesk call or email carries an expert’s', async () => {
    expect(experts.length).toBeGreaterThan(4);
    const word = (w: string) => new RegExp(`(?<![\\p{L}\\d])${w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\d])`, 'iu');
    // What was sent, decoded (form fields and JSON), not the wire encoding.
    const slackOut = JSON.stringify(app.slack.calls.map((c) => c.body));
    for (const secret of [CUSTOMER.name, ...CUSTOMER.name.split(' '), CUSTOMER.email, CUSTOMER.phone, 'Rita', 'Requester', 'Dieter', 'dieter@customer.example', '1234 5678']) expect(slackOut).not.toMatch(word(secret));
    const customerSide = JSON.stringify([app.zendesk.calls.map((c) => c.body), smtp.mails.map((m) => [m.subject, m.text, m.raw])]);
    for (const e of experts) {
      for (const secret of [e.name, ...e.name.split(' '), e.email!, e.slackUserId!]) expect(customerSide).not.toMatch(word(secret));
    }
    // The requester's DM thread never carries an expert's Slack id either.
    const toRequester = JSON.stringify(app.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === 'U0REQUEST1'));
    for (const e of experts) expect(toRequester).not.toContain(e.slackUserId!);
  });
});

describe(`shared customer contact on ${TEST_ENGINE}`, () => {
  let app: TestApp;
  beforeAll(async () => {
    const routing = testRouting();
    routing.categories = routing.categories.map((c) => (c.key === 'windows-nt' ? { ...c, shareCustomerContact: true } : c));
    app = await startTestApp({ routing });
  });
  afterAll(async () => {
    await app.close();
  });

  it('shows the customer’s phone and email in the expert’s thread only where the category shares them', async () => {
    const people = slackPeople(app);
    const windows = await createQualifiedExpert('windows-l1', 'windows-nt', { name: 'Sam Shared' });
    const exchange = await createQualifiedExpert('exchange-l1', 'ms-exchange', { name: 'Pat Private' });
    const file = async (key: string) => {
      const category = await Category.findOne({ where: { key }, rejectOnEmpty: true });
      return (await createTicket(app.server.services, { source: 'widget', externalId: `share-${key}`, categoryId: category.id, description: 'A problem worth a call.', customer: CUSTOMER })).ticket;
    };
    const shared = await file('windows-nt');
    const privateOne = await file('ms-exchange');
    await app.slackRequests.blockActions({ user_id: windows.slackUserId!, action_id: 'ticket.book', value: `HN-${shared.id}`, channel_id: 'C0WIND003' });
    await people.book(exchange, privateOne.id);
    const sharedThread = JSON.stringify((await people.expertThread(windows, shared.id)).blocks);
    const privateThread = JSON.stringify((await people.expertThread(exchange, privateOne.id)).blocks);
    expect(sharedThread).toContain(CUSTOMER.phone);
    expect(sharedThread).toContain(CUSTOMER.email);
    expect(privateThread).not.toContain(CUSTOMER.phone);
    expect(privateThread).not.toContain(CUSTOMER.email);
  });
});

describe(`Slack names scrubbed on ${TEST_ENGINE}`, () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('an expert signing with their Slack display name, and a requester with theirs, reach the other side under the alias', async () => {
    const people = slackPeople(app);
    const expert = await createQualifiedExpert('exchange-l1', 'ms-exchange', { name: 'Oluwaseun Adeyemi', email: 'seun@experts.example' });
    const requester = 'U0NAMED001';
    // Both go by other names in Slack than the ones Helpnet was given.
    app.slack.addUser({ id: expert.slackUserId!, name: 'seun.a', real_name: 'Oluwaseun Adeyemi', display_name: 'Captain Mailbox' });
    app.slack.addUser({ id: requester, name: 'gwen.h', real_name: 'Gwendolyn Hart', display_name: 'GH (Finance)' });

    await app.slackRequests.viewSubmission({
      user_id: requester,
      callback_id: 'ticket.create',
      view_id: 'V0NAMES001',
      values: {
        category: { value: { type: 'static_select', selected_option: { value: 'ms-exchange' } } },
        description: { value: { type: 'plain_text_input', value: 'My out-of-office reply is not sent to outside senders.' } },
        urgency: { value: { type: 'static_select', selected_option: { value: 'normal' } } },
      },
    });
    const ticket = await waitFor(() => Ticket.findOne({ where: { source: 'slack', externalId: 'V0NAMES001' } }), 'the Slack ticket');
    const mine = await people.requesterThread(requester, ticket.id);
    await people.book(expert, ticket.id);
    const thread = await people.expertThread(expert, ticket.id);
    const expertAlias = (await TicketAlias.findOne({ where: { ticketId: ticket.id, side: 'expert' }, rejectOnEmpty: true })).name;
    const customerAlias = (await TicketAlias.findOne({ where: { ticketId: ticket.id, side: 'customer' }, rejectOnEmpty: true })).name;

    await people.dm(expert.slackUserId!, 'Fixed the rule. — Captain Mailbox (seun.a)', { threadTs: thread.ts });
    await people.dm(requester, 'Works, thanks! GH (Finance) / gwen.h', { threadTs: mine.ts });
    await waitFor(() => people.replies(mine).some((m) => m.text?.includes('Fixed the rule')), 'the expert’s message');
    await waitFor(() => people.replies(thread).some((m) => m.text?.includes('Works, thanks')), 'the requester’s message');
    expect(people.replies(mine).find((m) => m.text?.includes('Fixed the rule'))!.text).toBe(`*Expert ${expertAlias}:* Fixed the rule. — ${expertAlias} (${expertAlias})`);
    expect(people.replies(thread).find((m) => m.text?.includes('Works, thanks'))!.text).toBe(`*Customer ${customerAlias}:* Works, thanks! ${customerAlias} / ${customerAlias}`);

    const toRequester = JSON.stringify(app.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === requester));
    expect(toRequester).not.toMatch(/Captain Mailbox|seun|Oluwaseun|Adeyemi/i);
    const toExpert = JSON.stringify(app.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === expert.slackUserId));
    expect(toExpert).not.toMatch(/GH \(Finance\)|gwen|Gwendolyn|Hart/i);
  });
});
