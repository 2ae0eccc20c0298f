import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express, type Router } from 'express';
import type { SlackConfig } from '../config/load-config.ts';
import type { Database } from '../db/database.ts';
import type { DomainContext } from '../domain/domain-context.ts';
import type { Logger } from '../lib/logger.ts';
import { SandboxMailbox } from './mailbox.ts';
import { sandboxRoutes } from './routes.ts';
import { seedSandbox } from './seed.ts';
import { slackRequester } from './signed-requests.ts';
import { sandboxStore } from '../db/repositories/sandbox-store.ts';
import { sandboxWebApi } from './web-api.ts';

/**
 * The built-in Slack sandbox (docs/sandbox.md): Helpnet's Slack client talks to a stand-in
 * of Slack's Web API served by this same server (/sandbox/api/…), with a bot token and a
 * signing secret made once and kept in the database. server.ts runs it only when the
 * configuration says so (config.sandbox: no Slack credentials, not production).
 */
export interface Sandbox {
  /** What the bot's client and Bolt's signature check are given in place of real Slack's. */
  slackConfig: SlackConfig;
  /** Where Helpnet's emails go when SMTP_URL is not set (shown on the page). */
  mailbox: SandboxMailbox;
  /** Seeds the demo workspace on its first start, then gives the /sandbox router. */
  routes(ctx: DomainContext & { logger: Logger; managerSlackIds: readonly string[] }): Promise<Router>;
  /** Starts answering on the port taken in prepareSandbox with `app`. */
  serve(app: Express): Server;
  /** Gives the port back when the server fails to start. */
  abandon(): Promise<void>;
}

/**
 * Takes the port now (the stand-in's address must be known before the Slack client is made;
 * PORT=0 picks one). Until serve() hands it the whole app, it answers the stand-in's Web API
 * (jobs and the seed already talk to it) and 503 to everything else.
 */
export async function prepareSandbox(db: Database, port: number): Promise<Sandbox> {
  const store = sandboxStore(db.sequelize);
  const botToken = `xoxb-sandbox-${await db.appSecrets.getOrCreate('sandbox-bot-token', new Date())}`;
  const starting = express();
  starting.use('/sandbox', sandboxWebApi(store, botToken));
  starting.use((_req, res) => void res.status(503).set('retry-after', '1').type('text/plain').send('Helpnet is starting.'));
  let handler: (req: IncomingMessage, res: ServerResponse) => void = starting;
  const server = createServer((req, res) => handler(req, res));
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(port, () => ok());
  });
  const internalUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const slackConfig: SlackConfig = {
    botToken,
    signingSecret: await db.appSecrets.getOrCreate('sandbox-signing-secret', new Date()),
    apiUrl: `${internalUrl}/sandbox/api/`,
  };
  const mailbox = new SandboxMailbox();
  return {
    slackConfig,
    mailbox,
    async routes(ctx) {
      const started = Date.now();
      await seedSandbox(ctx, store, ctx.managerSlackIds);
      ctx.logger.debug({ ms: Date.now() - started }, 'sandbox: seed checked');
      return sandboxRoutes({
        store,
        botToken: slackConfig.botToken,
        slackRequests: slackRequester(`${internalUrl}/slack/events`, slackConfig.signingSecret),
        internalUrl,
        mailbox,
        logger: ctx.logger,
      });
    },
    serve(app) {
      handler = app;
      return server;
    },
    abandon: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}
