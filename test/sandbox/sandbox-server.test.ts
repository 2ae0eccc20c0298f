import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { Ticket, TicketMessage } from '../../src/db/models/index.ts';
import { startTestApp, type TestApp } from '../support/start-test-app.ts';
import { TEST_ENGINE } from '../support/test-database.ts';
import { fileWidgetTicket } from '../support/tickets.ts';
import { waitFor } from '../support/wait-for.ts';
import { PortalClient } from '../support/portal-client.ts';
import { spawnScript } from '../support/spawn-helpnet.ts';
import { sandboxRouting } from './sandbox-routing.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const QUEUE_WAIT = 30_000;
const SANDBOX_ENV = { SLACK_BOT_TOKEN: '', SLACK_SIGNING_SECRET: '', HELPNET_SANDBOX: '1' };

describe('when the sandbox runs', () => {
  const config = (env: Record<string, string>) => loadConfig({ DATABASE_URL: 'sqlite::memory:', ...env }, ROOT);

  it('runs without Slack credentials outside production, on its own routing file and with its manager', () => {
    const c = config({ NODE_ENV: 'development' });
    expect(c.sandbox).toBe(true);
    expect(c.slack).toBeUndefined();
    expect(c.routingFile).toBe(resolve(ROOT, 'config/routing.sandbox.yml'));
    expect(c.managerSlackIds).toEqual(['U0SBXMGR1']);
    expect(config({ NODE_ENV: 'development', HELPNET_SANDBOX: '0' }).sandbox).toBe(false);
    expect(config({ NODE_ENV: 'test', HELPNET_SANDBOX: '1' }).sandbox).toBe(true);
  });

  it('is silently off in production when not asked for, and refused there when asked for', () => {
    const production = { NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(32), ROUTING_FILE: 'config/routing.example.yml' };
    expect(config(production).sandbox).toBe(false);
    expect(() => config({ ...production, HELPNET_SANDBOX: '1' })).toThrow(ConfigError);
    expect(() => config({ ...production, HELPNET_SANDBOX: '1' })).toThrow(/HELPNET_SANDBOX: the built-in Slack sandbox is refused when NODE_ENV is production/);
    expect(() => config({ HELPNET_SANDBOX: 'yes' })).toThrow(/HELPNET_SANDBOX: expected 1 \(run the built-in Slack sandbox\) or 0/);
  });

  it('the process asked for it in production exits 2 with the reason, before touching anything', async () => {
    const proc = spawnScript('src/main.ts', { NODE_ENV: 'production', HELPNET_SANDBOX: '1', SESSION_SECRET: 'x'.repeat(32), DATABASE_URL: 'sqlite::memory:', ROUTING_FILE: 'config/routing.example.yml' });
    expect(await proc.exited).toBe(2);
    expect(proc.stderr()).toMatch(/^helpnet: Invalid environment: HELPNET_SANDBOX: the built-in Slack sandbox is refused when NODE_ENV is production/);
    expect(proc.stdout()).toBe('');
  }, 60_000);

  it('never runs beside real Slack credentials, even when asked for', () => {
    const c = config({ SLACK_BOT_TOKEN: 'xoxb-real', SLACK_SIGNING_SECRET: 'a-real-signing-secret', HELPNET_SANDBOX: '1' });
    expect(c.sandbox).toBe(false);
    expect(c.slack?.botToken).toBe('xoxb-real');
    expect(c.notices.join('\n')).toContain('HELPNET_SANDBOX=1 is ignored: Slack credentials are set');
  });
});

describe(`with real Slack credentials on ${TEST_ENGINE}`, () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ env: { HELPNET_SANDBOX: '1' } });
  }, 60_000);
  afterAll(() => app?.close());

  it('has no /sandbox and no stand-in', async () => {
    expect((await fetch(`${app.url}/sandbox`)).status).toBe(404);
    expect((await fetch(`${app.url}/sandbox/state?as=U0SBXE001`)).status).toBe(404);
    expect((await fetch(`${app.url}/sandbox/api/auth.test`, { method: 'POST' })).status).toBe(404);
    expect(app.server.slack?.client.slackApiUrl).toBe(app.slack.apiUrl);
  });
});

describe(`the sandbox on ${TEST_ENGINE}`, () => {
  let app: TestApp;
  let token: string;
  beforeAll(async () => {
    app = await startTestApp({ routing: sandboxRouting(), env: SANDBOX_ENV });
    token = app.server.slack!.client.token!;
  }, 120_000);
  afterAll(() => app?.close());

  const api = async (method: string, args: Record<string, unknown>, bearer = token) => {
    const res = await fetch(`${app.url}/sandbox/api/${method}`, { method: 'POST', headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' }, body: JSON.stringify(args) });
    return (await res.json()) as Record<string, any>;
  };
  const page = async (path: string, body: Record<string, unknown>) => {
    const res = await fetch(`${app.url}/sandbox/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };
  const state = async (as: string) => (await (await fetch(`${app.url}/sandbox/state?as=${as}`)).json()) as { channels: { id: string; html: string }[]; dm: string; home: string };

  it('seeded the demo workspace once: a dozen experts, the manager, closed tickets, a channel per group', async () => {
    const { Expert, Survey } = app.server.db.models;
    expect(await Expert.count()).toBe(12);
    expect(await Survey.count({ where: { status: 'answered' } })).toBeGreaterThanOrEqual(10);
    expect(await Ticket.count({ where: { status: 'closed' } })).toBeGreaterThanOrEqual(10);
    const s = await state('U0SBXMGR1');
    expect(s.channels.map((c) => c.id).sort()).toEqual(['C0SBXEXCH', 'C0SBXINFR', 'C0SBXMGRS', 'C0SBXMSGS', 'C0SBXNETW', 'C0SBXWIND']);
    expect(await (await fetch(`${app.url}/healthz`)).json()).toMatchObject({ slack: 'sandbox' });
    await app.restart();
    expect(await Expert.count()).toBe(12);
    token = app.server.slack!.client.token!;
  }, 120_000);

  it('answers the Web API as Slack does: token checked, messages kept with their threads, views, users', async () => {
    expect(await api('auth.test', {}, 'xoxb-wrong')).toEqual({ ok: false, error: 'invalid_auth' });
    expect((await api('auth.test', {})).user_id).toBe('U0SBXBOT1');
    expect(await api('chat.postMessage', { channel: 'C0NOWHERE', text: 'x' })).toMatchObject({ ok: false, error: 'channel_not_found' });
    const dm = await api('conversations.open', { users: 'U0SBXE002' });
    expect(dm.channel.id).toBe('DU0SBXE002');
    const top = await api('chat.postMessage', { channel: 'U0SBXE002', text: 'top', metadata: { event_type: 'helpnet', event_payload: { id: 1 } } });
    expect(top).toMatchObject({ ok: true, channel: 'DU0SBXE002' });
    await api('chat.postMessage', { channel: 'DU0SBXE002', text: 'reply', thread_ts: top.ts });
    expect(await api('chat.update', { channel: 'DU0SBXE002', ts: top.ts, text: 'top, edited' })).toMatchObject({ ok: true });
    const replies = await api('conversations.replies', { channel: 'DU0SBXE002', ts: top.ts, include_all_metadata: true });
    expect(replies.messages.map((m: { text: string }) => m.text)).toEqual(['top, edited', 'reply']);
    expect(replies.messages[0].metadata).toEqual({ event_type: 'helpnet', event_payload: { id: 1 } });
    const history = await api('conversations.history', { channel: 'DU0SBXE002', oldest: top.ts });
    expect(history.messages.map((m: { text: string }) => m.text)).toEqual(['top, edited']);
    expect((await api('users.info', { user: 'U0SBXE002' })).user).toMatchObject({ id: 'U0SBXE002', real_name: 'Bruno Costa', tz: 'Europe/Lisbon' });
    expect(await api('users.info', { user: 'U0NOBODY' })).toMatchObject({ ok: false, error: 'user_not_found' });
    expect((await api('views.publish', { user_id: 'U0SBXE002', view: { type: 'home', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*home*' } }] } })).ok).toBe(true);
    expect((await state('U0SBXE002')).home).toContain('<strong>home</strong>');
    expect(await api('views.open', { trigger_id: 'made-up', view: { type: 'modal', blocks: [] } })).toMatchObject({ ok: false, error: 'invalid_trigger_id' });
    expect(await api('files.upload', {})).toMatchObject({ ok: false, error: 'unknown_method' });
    // The form encoding Slack's own client sends.
    const form = await fetch(`${app.url}/sandbox/api/chat.postMessage`, { method: 'POST', body: new URLSearchParams({ token, channel: 'C0SBXMGRS', text: 'hello', blocks: JSON.stringify([{ type: 'divider' }]) }) });
    expect(await form.json()).toMatchObject({ ok: true, channel: 'C0SBXMGRS' });
  });

  it('serves the page with a script of its own origin only, and refuses page requests that are not JSON', async () => {
    const res = await fetch(`${app.url}/sandbox?as=U0SBXE001`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await res.text()).toContain('<option value="U0SBXE001" selected>Ada Okafor</option>');
    const form = await fetch(`${app.url}/sandbox/act`, { method: 'POST', body: new URLSearchParams({ as: 'U0SBXE001', actionId: 'ticket.book' }) });
    expect(form.status).toBe(415);
    expect((await page('act', { as: 'U0NOBODY', actionId: 'ticket.book' })).status).toBe(404);
    expect((await page('say', { as: 'U0SBXE001', conversation: 'DU0SBXE001', text: '' })).body.errors).toEqual(['text: is empty']);
  });

  it('a filed ticket is posted to its channel; Book from the page books it; a reply in the DM thread reaches the customer', async () => {
    const ticket = await fileWidgetTicket(app.server.services, { categoryKey: 'ms-exchange', description: 'Calendar <b>sync</b> fails' });
    const publicId = `HN-${ticket.id}`;
    const posted = await waitFor(async () => (await state('U0SBXE001')).channels.find((c) => c.id === 'C0SBXEXCH')?.html.includes(`data-value="${publicId}"`), 'the ticket in #Exchange first line', QUEUE_WAIT);
    expect(posted).toBe(true);
    const channel = (await state('U0SBXE001')).channels.find((c) => c.id === 'C0SBXEXCH')!.html;
    expect(channel).toContain('Calendar &lt;b&gt;sync&lt;/b&gt; fails');
    const ts = new RegExp(`data-ts="([0-9.]+)"><p class="sbx-meta">(?:(?!</article>).)*data-value="${publicId}"`).exec(channel)![1]!;

    expect((await page('act', { as: 'U0SBXE001', actionId: 'ticket.book', blockId: 'x', value: publicId, conversation: 'C0SBXEXCH', ts })).body).toMatchObject({ ok: true, status: 200 });
    await waitFor(async () => (await Ticket.findByPk(ticket.id))?.status === 'booked', 'the ticket booked', QUEUE_WAIT);
    // The booking thread: the message that tells the expert their alias.
    const thread = await waitFor(async () => {
      const top = (await state('U0SBXE001')).dm.split('<article').find((a) => a.includes(`<strong>${publicId}</strong>`) && a.includes('The customer knows you as'));
      return top ? /data-ts="([0-9.]+)"/.exec(top)?.[1] : undefined;
    }, 'the booking thread in the expert’s DM', QUEUE_WAIT);

    expect((await page('say', { as: 'U0SBXE001', conversation: 'DU0SBXE001', threadTs: thread, text: 'Try removing the calendar and adding it again.' })).body).toMatchObject({ ok: true, status: 200 });
    await waitFor(async () => (await TicketMessage.findAll({ where: { ticketId: ticket.id, side: 'expert' } })).some((m) => m.body === 'Try removing the calendar and adding it again.'), 'the reply relayed', QUEUE_WAIT);
    expect((await page('say', { as: 'U0SBXE002', conversation: 'DU0SBXE001', text: 'not mine' })).body).toMatchObject({ error: 'not_your_conversation' });
  }, 120_000);

  it('a slash command from the page is answered to its sender or opens its modal; the App Home opens', async () => {
    expect((await page('command', { as: 'U0SBXNEW1', text: 'status' })).body).toMatchObject({ ok: true, status: 200 });
    await waitFor(async () => (await state('U0SBXNEW1')).dm.includes('Only visible to you'), 'the command’s answer', QUEUE_WAIT);
    expect((await page('command', { as: 'U0SBXNEW1', text: 'help' })).body).toMatchObject({ ok: true, status: 200 });
    const modal = await waitFor(async () => ((await (await fetch(`${app.url}/sandbox/state?as=U0SBXNEW1`)).json()) as { modal: { viewId: string; html: string } | null }).modal, 'the new-ticket modal', QUEUE_WAIT);
    expect(modal.html).toContain('<form class="sbx-modal-form sbx-view"');
    await page('close', { as: 'U0SBXNEW1', viewId: modal.viewId });
    expect(((await (await fetch(`${app.url}/sandbox/state?as=U0SBXNEW1`)).json()) as { modal: unknown }).modal).toBeNull();
    expect((await page('home-opened', { as: 'U0SBXMGR1' })).body).toMatchObject({ ok: true, status: 200 });
    await waitFor(async () => !(await state('U0SBXMGR1')).home.includes('No App Home published'), 'the manager’s Home', QUEUE_WAIT);
  }, 60_000);

  it('keeps the emails Helpnet sends without SMTP and shows them with their links: a portal sign-up can be confirmed', async () => {
    const customer = new PortalClient(() => app.url);
    const email = `mailbox.${Date.now()}@customer.example`;
    const signUp = await customer.submit('/signup', '/signup', { firstName: 'Mo', lastName: 'Mail', company: 'Post & Co', email, address: '1 Letter Lane', city: 'Leeds', zip: 'LS1 4AP', country: 'United Kingdom', password: 'correct horse battery', passwordAgain: 'correct horse battery' });
    expect(signUp.status).toBe(200);
    const link = await waitFor(async () => {
      const mail = ((await (await fetch(`${app.url}/sandbox/state?as=U0SBXE001`)).json()) as { mail: string }).mail;
      return mail.includes(email) ? /<a href="(http:\/\/localhost:0\/confirm\/[A-Za-z0-9_-]{43})">/.exec(mail)?.[1] : undefined;
    }, 'the confirmation email on the sandbox page', QUEUE_WAIT);
    expect((await customer.get(new URL(link).pathname)).status).toBe(200);
  }, 60_000);
});
