import { WebClient, ErrorCode, retryPolicies } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeSlack } from '../support/fake-slack.ts';

/** The fake must behave like Slack for the official client, or tests against it prove nothing. */
describe('fake Slack Web API', () => {
  let slack: FakeSlack;
  let client: WebClient;
  beforeEach(async () => {
    slack = await FakeSlack.start();
    client = new WebClient(slack.token, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
  });
  afterEach(async () => {
    await slack.stop();
  });

  const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });

  it('records chat.postMessage with its decoded blocks and answers with a ts', async () => {
    const res = await client.chat.postMessage({ channel: 'C0EXCH001', text: 'hi', blocks: [section('*hello*')] });
    expect(res.ok).toBe(true);
    expect(res.ts).toMatch(/^\d+\.\d{6}$/);
    const [call] = slack.callsTo('chat.postMessage');
    expect(call!.args).toMatchObject({ channel: 'C0EXCH001', text: 'hi', blocks: [section('*hello*')] });
    expect(call!.headers.authorization).toBe(`Bearer ${slack.token}`);
  });

  it('updates a posted message and refuses to update one that does not exist', async () => {
    const posted = await client.chat.postMessage({ channel: 'C1', text: 'v1' });
    await client.chat.update({ channel: 'C1', ts: posted.ts!, text: 'v2' });
    expect(slack.messages[0]).toMatchObject({ text: 'v2', updates: 1 });
    await expect(client.chat.update({ channel: 'C1', ts: '1.2', text: 'x' })).rejects.toMatchObject({ data: { error: 'message_not_found' } });
  });

  it('checks the token', async () => {
    const wrong = new WebClient('xoxb-wrong', { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
    await expect(wrong.auth.test()).rejects.toMatchObject({ code: ErrorCode.PlatformError, data: { error: 'invalid_auth' } });
    const none = await fetch(`${slack.apiUrl}auth.test`, { method: 'POST' });
    expect(await none.json()).toEqual({ ok: false, error: 'not_authed' });
  });

  it('takes JSON bodies as well as forms', async () => {
    const res = await fetch(`${slack.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${slack.token}`, 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ channel: 'C1', blocks: [section('json')] }),
    });
    expect(await res.json()).toMatchObject({ ok: true });
    expect(slack.messages[0]!.blocks).toEqual([section('json')]);
  });

  it.each([
    ['51 blocks', { blocks: Array.from({ length: 51 }, () => section('x')) }, 'must be less than 51 items [json-pointer:/blocks]'],
    ['3001 characters of section text', { blocks: [section('x'.repeat(3001))] }, 'must be less than 3001 characters [json-pointer:/blocks/0/text/text]'],
    [
      'a 2001-character button value',
      { blocks: [{ type: 'actions', elements: [{ type: 'button', action_id: 'ticket.book', text: { type: 'plain_text', text: 'Book' }, value: 'v'.repeat(2001) }] }] },
      'must be less than 2001 characters [json-pointer:/blocks/0/elements/0/value]',
    ],
    [
      'a 256-character action_id',
      { blocks: [{ type: 'actions', elements: [{ type: 'button', action_id: 'a'.repeat(256), text: { type: 'plain_text', text: 'Book' }, value: '1' }] }] },
      'must be less than 256 characters [json-pointer:/blocks/0/elements/0/action_id]',
    ],
  ])('rejects a message with %s as invalid_blocks', async (_what, extra, message) => {
    await expect(client.chat.postMessage({ channel: 'C1', text: 't', ...(extra as object) })).rejects.toMatchObject({
      data: { ok: false, error: 'invalid_blocks', response_metadata: { messages: [`[ERROR] ${message}`] } },
    });
    expect(slack.messages).toHaveLength(0);
  });

  it('allows 100 blocks in a view but not 101', async () => {
    const view = (n: number) => ({ type: 'home' as const, blocks: Array.from({ length: n }, () => section('x')) });
    await expect(client.views.publish({ user_id: 'U1', view: view(100) })).resolves.toMatchObject({ ok: true });
    await expect(client.views.publish({ user_id: 'U1', view: view(101) })).rejects.toMatchObject({ data: { error: 'invalid_arguments' } });
  });

  it('opens and updates modals, opens DMs and looks users up', async () => {
    const opened = await client.views.open({ trigger_id: 't1', view: { type: 'modal', callback_id: 'ticket.create', title: { type: 'plain_text', text: 'T' }, blocks: [] } });
    await expect(client.views.update({ view_id: opened.view!.id!, view: { type: 'modal', title: { type: 'plain_text', text: 'T2' }, blocks: [] } })).resolves.toMatchObject({ ok: true });
    const dm = await client.conversations.open({ users: 'U0EXPERT1' });
    expect(dm.channel?.id).toMatch(/^D/);
    slack.addUser({ id: 'U0EXPERT1', name: 'ada', real_name: 'Ada Lovelace' });
    expect((await client.users.info({ user: 'U0EXPERT1' })).user?.real_name).toBe('Ada Lovelace');
    await expect(client.users.info({ user: 'U0NOBODY' })).rejects.toMatchObject({ data: { error: 'user_not_found' } });
    expect(await client.chat.postEphemeral({ channel: 'C1', user: 'U0EXPERT1', text: 'psst' })).toMatchObject({ ok: true });
  });

  it('injects a 429 with Retry-After, which the client waits out and retries', async () => {
    slack.http.inject('chat.postMessage', { kind: 'status', status: 429, retryAfterSeconds: 1 });
    const retrying = new WebClient(slack.token, { slackApiUrl: slack.apiUrl, retryConfig: retryPolicies.fiveRetriesInFiveMinutes });
    const started = Date.now();
    await expect(retrying.chat.postMessage({ channel: 'C1', text: 'later' })).resolves.toMatchObject({ ok: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(slack.callsTo('chat.postMessage').map((c) => c.status)).toEqual([429, 200]);
    expect(slack.messages).toHaveLength(1);
  });

  it('injects 5xx answers, delays and refused connections', async () => {
    slack.http.inject('*', { kind: 'status', status: 503 }, 2);
    await expect(client.auth.test()).rejects.toMatchObject({ code: ErrorCode.HTTPError, statusCode: 503 });
    await expect(client.auth.test()).rejects.toMatchObject({ statusCode: 503 });
    await expect(client.auth.test()).resolves.toMatchObject({ ok: true });

    slack.http.inject('auth.test', { kind: 'delay', ms: 300 });
    const started = Date.now();
    await client.auth.test();
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);

    await slack.http.refuseConnections();
    await expect(client.auth.test()).rejects.toMatchObject({ code: ErrorCode.RequestError });
    await slack.http.acceptConnections();
    await expect(client.auth.test()).resolves.toMatchObject({ ok: true });
  });

  it('lists a conversation and a thread with the messages’ metadata, DMs under their D… id', async () => {
    const metadata = { event_type: 'helpnet_message', event_payload: { message_id: 7 } };
    const parent = await client.chat.postMessage({ channel: 'C1', text: 'card', metadata });
    await client.chat.postMessage({ channel: 'C1', text: 'reply', thread_ts: parent.ts! });
    await client.chat.postMessage({ channel: 'U0EXPERT1', text: 'page' });
    const history = await client.conversations.history({ channel: 'C1', include_all_metadata: true, oldest: String(Math.floor(Date.now() / 1000) - 60) });
    expect(history.messages).toEqual([expect.objectContaining({ text: 'card', metadata })]);
    expect((await client.conversations.history({ channel: 'C1' })).messages![0]).not.toHaveProperty('metadata');
    expect((await client.conversations.history({ channel: 'C1', oldest: String(Math.floor(Date.now() / 1000) + 60) })).messages).toEqual([]);
    const thread = await client.conversations.replies({ channel: 'C1', ts: parent.ts! });
    expect(thread.messages!.map((m) => m.text)).toEqual(['card', 'reply']);
    const dm = await client.conversations.open({ users: 'U0EXPERT1' });
    expect((await client.conversations.history({ channel: dm.channel!.id! })).messages!.map((m) => m.text)).toEqual(['page']);
  });

  it('answers a post to a user id with the DM’s own id, which updates and threads then use, as Slack does', async () => {
    const posted = await client.chat.postMessage({ channel: 'U0EXPERT7', text: 'thread' });
    const dm = posted.channel!;
    expect(dm).toMatch(/^D/);
    expect(dm).not.toBe('U0EXPERT7');
    expect(dm).not.toBe('D0EXPERT7');
    expect((await client.conversations.open({ users: 'U0EXPERT7' })).channel?.id).toBe(dm);
    expect(slack.dmChannelOf('U0EXPERT7')).toBe(dm);
    await client.chat.postMessage({ channel: dm, text: 'reply', thread_ts: posted.ts! });
    expect((await client.conversations.replies({ channel: dm, ts: posted.ts! })).messages!.map((m) => m.text)).toEqual(['thread', 'reply']);
    await expect(client.chat.update({ channel: dm, ts: posted.ts!, text: 'thread, updated' })).resolves.toMatchObject({ ok: true });
    // The user id is not the conversation: Slack finds no message there.
    await expect(client.chat.update({ channel: 'U0EXPERT7', ts: posted.ts!, text: 'x' })).rejects.toMatchObject({ data: { error: 'message_not_found' } });
    expect(slack.messages.filter((m) => m.conversation === dm).map((m) => m.channel)).toEqual(['U0EXPERT7', dm]);
  });

  it('records what is sent to an interaction’s response_url', async () => {
    const url = slack.responseUrl('U0EXPERT1/1');
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, text: 'Already booked' }) });
    expect(res.status).toBe(200);
    expect(slack.responses('U0EXPERT1/1')).toEqual([expect.objectContaining({ key: 'U0EXPERT1/1', response_type: 'ephemeral', text: 'Already booked' })]);
    expect((await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(400);
  });
});
