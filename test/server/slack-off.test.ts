import { PassThrough } from 'node:stream';
import { QueryTypes } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { startServer, type RunningServer } from '../../src/server.ts';
import { SlackNotConfiguredError, SLACK_OFF_WAIT_MS } from '../../src/slack/delivery/slack-errors.ts';
import { PortalClient } from '../support/portal-client.ts';
import { SLACK_SIGNING_SECRET, startTestApp, type TestApp } from '../support/start-test-app.ts';
import { TEST_ENGINE } from '../support/test-database.ts';
import { waitFor } from '../support/wait-for.ts';

const TIMEOUT = 90_000;

/** A server on the test app's database and fakes, with Slack on or off, whose log lines are kept. */
async function startLogged(app: TestApp, slack: 'on' | 'off'): Promise<{ server: RunningServer; lines: () => { level: number; msg: string; err?: unknown }[] }> {
  const out = new PassThrough();
  let text = '';
  out.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  const env = { ...app.env, LOG_LEVEL: 'info', ...(slack === 'on' ? { SLACK_BOT_TOKEN: app.slack.token, SLACK_SIGNING_SECRET } : { SLACK_BOT_TOKEN: '', SLACK_SIGNING_SECRET: '' }) };
  const config = loadConfig(env, process.cwd());
  const server = await startServer(config, createLogger(config.logLevel, out));
  return { server, lines: () => text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { level: number; msg: string }) };
}

const fileTicket = async (url: string, n: number) => {
  const res = await fetch(`${url}/api/widget/tickets`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.9.8.${n}` },
    body: JSON.stringify({ name: `Otto ${n}`, email: `otto.${n}@customer.example`, category: 'ms-exchange', description: `Calendar invitations bounce, case ${n}.` }),
  });
  return { status: res.status, json: (await res.json()) as { ticket: string; status: string; waiting_for?: string; token: string } };
};

describe(`with Slack off, on ${TEST_ENGINE}`, () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ env: { SLACK_BOT_TOKEN: '', SLACK_SIGNING_SECRET: '' } });
  });
  afterAll(() => app.close());

  it(
    'says so: intake answers that tickets are stored, /healthz says slack off, the log says once that posts wait; started with Slack on, it sends them at once',
    async () => {
      // The test app's own server (silent log) makes way for one whose log is read.
      await app.server.close(1000);
      const off = await startLogged(app, 'off');
      app.server = off.server;

      const health = await fetch(`${off.server.url}/healthz`);
      expect(await health.json()).toEqual({ db: 'ok', jobs: 'ok', slack: 'off' });

      const filed = await Promise.all([1, 2, 3].map((n) => fileTicket(off.server.url, n)));
      for (const f of filed) {
        expect(f.status).toBe(201);
        expect(f.json).toMatchObject({ status: 'stored', waiting_for: 'slack' });
      }
      const conversation = await fetch(`${off.server.url}/api/widget/tickets/${filed[0]!.json.ticket}/messages`, { headers: { authorization: `Bearer ${filed[0]!.json.token}` } });
      expect(await conversation.json()).toMatchObject({ status: 'stored', waiting_for: 'slack' });

      // The portal says the same of a ticket filed there, in the list, on the page and in its JSON.
      const customer = new PortalClient(() => off.server.url);
      const password = 'correct horse battery';
      const email = 'olga.offline@customer.example';
      const signup = { firstName: 'Olga', lastName: 'Offline', company: '', email, address: '1 Quay', city: 'Bristol', state: '', zip: 'BS1', country: 'United Kingdom', heardFrom: '', password, passwordAgain: password };
      expect((await customer.submit('/signup', '/signup', signup)).status).toBe(200);
      expect((await customer.submit('/login', '/login', { email, password })).status).toBe(303);
      const filedInPortal = await customer.submit('/tickets/new', '/tickets/new', { category: 'ms-exchange', description: 'The shared calendar is empty since this morning.' });
      expect(filedInPortal.status).toBe(303);
      const stored = 'Stored: our experts are not connected yet; it goes to them as soon as they are';
      expect((await customer.get(filedInPortal.location!)).html).toContain(stored);
      expect((await customer.get('/tickets')).html).toContain(stored);
      expect(JSON.parse((await customer.get(`${filedInPortal.location!}/messages.json`)).html)).toMatchObject({ statusText: stored });

      // Each ticket's channel post tried, and now waits quietly for Slack.
      const waiting = () =>
        off.server.db.sequelize.query<{ next_run_at: number | string }>('SELECT next_run_at FROM agenda_jobs WHERE name = ? AND fail_reason = ?', {
          replacements: ['slack.post', SlackNotConfiguredError.MESSAGE],
          type: QueryTypes.SELECT,
        });
      const jobs = await waitFor(async () => ((await waiting()).length >= 4 ? waiting() : undefined), 'the four posts waiting for Slack', 30_000);
      for (const job of jobs) expect(Number(job.next_run_at)).toBeGreaterThan(Date.now() + SLACK_OFF_WAIT_MS / 2);

      const log = off.lines();
      expect(log.filter((l) => /Slack is off/.test(l.msg))).toHaveLength(1);
      // No warning per post (mail being off is warned about on its own).
      expect(log.filter((l) => l.msg === 'job failed')).toEqual([]);
      expect(JSON.stringify(log)).not.toContain(SlackNotConfiguredError.MESSAGE);
      expect(app.slack.callsTo('chat.postMessage')).toHaveLength(0);

      // Started again with Slack on: the waiting posts go now, not at their next look.
      await off.server.close(1000);
      const on = await startLogged(app, 'on');
      app.server = on.server;
      expect(await (await fetch(`${on.server.url}/healthz`)).json()).toMatchObject({ slack: 'on' });
      await waitFor(() => app.slack.callsTo('chat.postMessage').length >= 4, 'the four tickets posted to Slack', 30_000);
      expect(on.lines().some((l) => /sending what waited/.test(l.msg))).toBe(true);
    },
    TIMEOUT,
  );
});
