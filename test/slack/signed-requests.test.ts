import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/start-test-app.ts';

describe('POST /slack/events signature checks', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('accepts a correctly signed slash command and Bolt answers it', async () => {
    const res = await app.slackRequests.command({ user_id: 'U0CUSTOMER', text: 'status' });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ response_type: 'ephemeral' });
    expect(res.text).toContain('You have no open tickets');
    // Bolt asked the fake who the bot is, with our token.
    expect(app.slack.callsTo('auth.test')).toHaveLength(1);
  });

  it('answers unknown sub-commands with the usage help', async () => {
    const res = await app.slackRequests.command({ user_id: 'U0CUSTOMER', text: 'frobnicate' });
    expect(res.status).toBe(200);
    expect(res.text).toContain('/helpnet help');
  });

  it('refuses a request signed with the wrong secret', async () => {
    const res = await app.slackRequests.command({ user_id: 'U0CUSTOMER' }, { signWith: 'not-the-secret-at-all' });
    expect(res.status).toBe(401);
  });

  it('refuses an unsigned request', async () => {
    const res = await app.slackRequests.command({ user_id: 'U0CUSTOMER' }, { unsigned: true });
    expect(res.status).toBe(401);
  });

  it('refuses a correctly signed request that is six minutes old (replay)', async () => {
    const res = await app.slackRequests.command({ user_id: 'U0CUSTOMER' }, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect(res.status).toBe(401);
  });

  it('refuses a correctly signed request dated six minutes, or a year, ahead', async () => {
    for (const ahead of [6 * 60, 365 * 24 * 60 * 60]) {
      const res = await app.slackRequests.command({ user_id: 'U0CUSTOMER' }, { timestamp: Math.floor(Date.now() / 1000) + ahead });
      expect(res.status).toBe(401);
    }
    // Within the window either way is fine (clocks differ a little).
    const res = await app.slackRequests.command({ user_id: 'U0CUSTOMER', text: 'help' }, { timestamp: Math.floor(Date.now() / 1000) + 60 });
    expect(res.status).toBe(200);
  });

  it('answers Slack URL verification', async () => {
    const body = JSON.stringify({ type: 'url_verification', challenge: 'abc123', token: 'x' });
    const res = await app.slackRequests.send(body, 'application/json');
    expect(res.status).toBe(200);
    expect(res.text).toContain('abc123');
  });
});

describe('without Slack credentials', () => {
  it('still serves health, and says Slack is not configured', async () => {
    const app = await startTestApp({ env: { SLACK_BOT_TOKEN: '', SLACK_SIGNING_SECRET: '' } });
    try {
      expect(app.server.slack).toBeUndefined();
      expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
      const res = await app.slackRequests.command({ user_id: 'U0CUSTOMER' });
      expect(res.status).toBe(503);
      expect(res.json).toEqual({ ok: false, error: 'slack_not_configured' });
    } finally {
      await app.close();
    }
  });
});
