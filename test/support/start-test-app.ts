import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { loadConfig } from '../../src/config/load-config.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { startServer, type RunningServer } from '../../src/server.ts';
import { FakeSlack } from './fake-slack.ts';
import { FakeZendesk } from './fake-zendesk.ts';
import { SlackRequestSender } from './slack-requests.ts';
import { createTestDatabase, type TestDatabase } from './test-database.ts';
import { testRouting } from './test-routing.ts';
import { ZendeskWebhookSender } from './zendesk-webhooks.ts';

export const SLACK_SIGNING_SECRET = 'test-signing-secret-0123456789';
export const ZENDESK_WEBHOOK_SECRET = 'test-zendesk-webhook-secret';

export interface TestApp {
  /** The running server; replaced by restart(). */
  server: RunningServer;
  url: string;
  slack: FakeSlack;
  zendesk: FakeZendesk;
  slackRequests: SlackRequestSender;
  zendeskWebhooks: ZendeskWebhookSender;
  database: TestDatabase;
  /** The environment the server was started with (to start another process like it). */
  env: Record<string, string>;
  /** Stops the server (as SIGTERM would) and starts a new one on the same database and fakes. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts the real server on a free port against fresh fakes and a fresh database.
 * `routing` replaces the default test routing file; `env` adds or overrides variables
 * (set a Slack variable to '' to run without Slack).
 */
export async function startTestApp(opts: { routing?: unknown; env?: Record<string, string> } = {}): Promise<TestApp> {
  const slack = await FakeSlack.start();
  const zendesk = await FakeZendesk.start();
  const database = await createTestDatabase();
  const dir = mkdtempSync(join(tmpdir(), 'helpnet-app-'));
  const routingFile = join(dir, 'routing.yml');
  writeFileSync(routingFile, stringify(opts.routing ?? testRouting()));
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    PORT: '0',
    DATABASE_URL: database.url,
    ROUTING_FILE: routingFile,
    SLACK_BOT_TOKEN: slack.token,
    SLACK_SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    ZENDESK_API_URL: zendesk.apiUrl,
    ZENDESK_EMAIL: zendesk.email,
    ZENDESK_API_TOKEN: zendesk.apiToken,
    ZENDESK_WEBHOOK_SECRET,
    JOBS_POLL_MS: '100',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    // Tests that unset Slack's variables mean Slack off, not the built-in sandbox.
    HELPNET_SANDBOX: '0',
    ...opts.env,
  };
  const config = loadConfig(env, dir);
  const slackSender = (url: string) => {
    const sender = new SlackRequestSender(url, SLACK_SIGNING_SECRET);
    sender.responseUrl = (key) => slack.responseUrl(key);
    return sender;
  };
  const server = await startServer(config, createLogger(config.logLevel));
  const app: TestApp = {
    server,
    url: server.url,
    slack,
    zendesk,
    slackRequests: slackSender(server.url),
    zendeskWebhooks: new ZendeskWebhookSender(server.url, ZENDESK_WEBHOOK_SECRET),
    database,
    env,
    async restart() {
      await app.server.close(1000);
      app.server = await startServer(config, createLogger(config.logLevel));
      app.url = app.server.url;
      app.slackRequests = slackSender(app.url);
      app.zendeskWebhooks = new ZendeskWebhookSender(app.url, ZENDESK_WEBHOOK_SECRET);
    },
    async close() {
      await app.server.close(1000);
      await Promise.all([slack.stop(), zendesk.stop()]);
      await database.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return app;
}
