import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { signSlackBody } from '../support/slack-requests.ts';
import { spawnCommand, spawnScript, type SpawnedProcess } from '../support/spawn-helpnet.ts';
import { startTestApp, SLACK_SIGNING_SECRET, type TestApp } from '../support/start-test-app.ts';

describe('graceful shutdown of the real process', () => {
  let app: TestApp | undefined;
  let proc: SpawnedProcess | undefined;
  afterEach(async () => {
    if (proc && proc.child.exitCode === null) proc.child.kill('SIGKILL');
    await app?.close();
  });

  it('on SIGTERM stops accepting, finishes the request in flight, closes the database and exits 0', async () => {
    // The fakes and database of a test app, served by a second, real `npm start` process.
    app = await startTestApp();
    proc = spawnScript('src/main.ts', { ...app.env, LOG_LEVEL: 'info' });
    const line = await proc.waitFor(/Helpnet is listening/);
    const port = (JSON.parse(line) as { port: number }).port;

    // A signed slash command whose body arrives in two halves, with SIGTERM in between.
    const body = new URLSearchParams({ command: '/helpnet', text: 'version', user_id: 'U0CUSTOMER', team_id: 'T0HELPNET', trigger_id: 't.1', response_url: 'https://hooks.slack.invalid/1' }).toString();
    const ts = Math.floor(Date.now() / 1000);
    const response = new Promise<{ status: number; body: string }>((ok, fail) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/slack/events',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            'content-length': Buffer.byteLength(body),
            'x-slack-request-timestamp': String(ts),
            'x-slack-signature': signSlackBody(SLACK_SIGNING_SECRET, ts, body),
          },
        },
        (res) => {
          let text = '';
          res.on('data', (d: Buffer) => (text += d.toString()));
          res.on('end', () => ok({ status: res.statusCode ?? 0, body: text }));
        },
      );
      req.on('error', fail);
      req.write(body.slice(0, 20));
      setTimeout(() => {
        proc!.child.kill('SIGTERM');
        setTimeout(async () => {
          // Still finishing our request, but no longer taking new connections.
          expect(proc!.child.exitCode).toBeNull();
          await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
          req.end(body.slice(20));
        }, 400);
      }, 200);
    });

    const res = await response;
    expect(res.status).toBe(200);
    expect(res.body).toContain('/helpnet status');
    expect(await proc.exited).toBe(0);
    expect(proc.stdout()).toMatch(/"signal":"SIGTERM"/);
    expect(proc.stdout()).toMatch(/shutdown complete/);
  });
});

describe('the real process without Slack credentials', () => {
  it('starts, logs one line saying Slack is off, that posts wait, and how to turn it on, and stops on SIGINT', async () => {
    const app = await startTestApp();
    const proc = spawnScript('src/main.ts', { ...app.env, SLACK_BOT_TOKEN: '', SLACK_SIGNING_SECRET: '', LOG_LEVEL: 'info' });
    try {
      await proc.waitFor(/Helpnet is listening/);
      const lines = proc.stdout().split('\n').filter((l) => l.includes('Slack is off'));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain('their posts to Slack wait until Helpnet starts with SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET set');
      proc.child.kill('SIGINT');
      expect(await proc.exited).toBe(0);
    } finally {
      if (proc.child.exitCode === null) proc.child.kill('SIGKILL');
      await app.close();
    }
  });
});

describe('the real process with a Slack app installed from an older manifest', () => {
  it('says at start which scopes the app lacks and what they are for', async () => {
    const app = await startTestApp();
    app.slack.scopes = app.slack.scopes.filter((s) => s !== 'users:read.email' && s !== 'channels:history');
    const proc = spawnScript('src/main.ts', { ...app.env, LOG_LEVEL: 'info' });
    try {
      const line = await proc.waitFor(/has not been granted/);
      expect(JSON.parse(line)).toMatchObject({ level: 40, missingScopes: ['channels:history', 'users:read.email'] });
      expect(line).toContain('Update the app from manifest.json and reinstall it');
      proc.child.kill('SIGTERM');
      expect(await proc.exited).toBe(0);
    } finally {
      if (proc.child.exitCode === null) proc.child.kill('SIGKILL');
      await app.close();
    }
  });
});

describe('`npm start` stopped as a process manager stops it', () => {
  it('SIGTERM to npm itself ends the server cleanly instead of leaving it running alone', async () => {
    const app = await startTestApp();
    const proc = spawnCommand('npm', ['start', '--silent'], { ...app.env, LOG_LEVEL: 'info' });
    try {
      const line = await proc.waitFor(/Helpnet is listening/, 30_000);
      const url = `http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}`;
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      proc.child.kill('SIGTERM'); // npm's own process, as `docker stop` signals it
      // npm exits at once; the server, which shares its output, says when it has stopped.
      for (const until = Date.now() + 15_000; !proc.stdout().includes('shutdown complete') && Date.now() < until; ) await new Promise((ok) => setTimeout(ok, 100));
      expect(proc.stdout()).toContain('shutdown complete');
      await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    } finally {
      if (proc.child.exitCode === null) proc.child.kill('SIGKILL');
      await app.close();
    }
  });
});
