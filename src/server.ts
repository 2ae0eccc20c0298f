import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Config } from './config/load-config.ts';
import { openDatabase, type Database } from './db/database.ts';
import { alertDeadLetter } from './domain/alerts/alert-dead-letter.ts';
import { syncRouting } from './domain/sync-routing.ts';
import { createJobs, type Jobs } from './jobs/agenda.ts';
import type { DomainContext } from './domain/domain-context.ts';
import { surveyLinks } from './domain/surveys/survey-token.ts';
import { accountLinks } from './domain/accounts/account-links.ts';
import { jobDefinitions } from './jobs/definitions/index.ts';
import { createOutbox } from './jobs/outbox.ts';
import { createMailer } from './mail/mailer.ts';
import { createZendeskClient } from './zendesk/client.ts';
import { zendeskWebhookRoutes } from './zendesk/webhook-route.ts';
import type { Logger } from './lib/logger.ts';
import { createSlackApp, registerListeners, SLACK_EVENTS_PATH, type SlackApp } from './slack/create-slack-app.ts';
import { slackRequestGate } from './slack/request-gate.ts';
import { SlackNotConfiguredError } from './slack/delivery/slack-errors.ts';
import { errorHandler, notFound } from './web/error-handlers.ts';
import { healthRoutes } from './web/health-routes.ts';
import { surveyRoutes } from './web/survey-routes.ts';
import { portalRoutes } from './web/portal/index.ts';
import { widgetApi } from './web/widget-api.ts';
import { widgetMessagesApi } from './web/widget-messages.ts';
import { widgetRoutes } from './web/widget/widget-routes.ts';
import { RequestsInFlight } from './lib/requests-in-flight.ts';
import { prepareSandbox, type Sandbox } from './sandbox/index.ts';

const CONGESTED_AT_REQUESTS = 8;

export interface RunningServer {
  url: string;
  port: number;
  db: Database;
  jobs: Jobs;
  /** What use cases run with (tests call them directly). */
  services: DomainContext;
  slack: SlackApp | undefined;
  /** Stops accepting, lets in-flight requests and running jobs finish (up to `graceMs` each), then closes the database. */
  close(graceMs?: number): Promise<void>;
}

/** Composition root: database → routing sync → jobs → Express with Bolt first → listen. */
export async function startServer(config: Config, logger: Logger): Promise<RunningServer> {
  const db = await openDatabase(config.databaseUrl, { logger });
  let sandbox: Sandbox | undefined;
  try {
    const sync = await syncRouting(db, config.routing);
    logger.info({ routingFile: config.routingFile, ...sync }, 'routing file synced');

    // The sandbox (no Slack credentials, outside production) answers on this server's own
    // port, so the port is taken first and the bot is pointed at it (src/sandbox/index.ts).
    sandbox = config.sandbox ? await prepareSandbox(db, config.port) : undefined;
    const slackConfig = config.slack ?? sandbox?.slackConfig;
    const slack = slackConfig ? createSlackApp(slackConfig, logger) : undefined;
    const zendesk = config.zendesk ? createZendeskClient(config.zendesk) : undefined;
    // Without SMTP, the sandbox keeps Helpnet's emails and shows them on its page.
    const mailer = config.mail ? createMailer(config.mail) : sandbox?.mailbox;
    // Each part gets the domain's context and the one outside service it talks to; the job
    // handlers, which deliver to all of them, get them all.
    // Survey links and widget tokens must outlive a restart: without SESSION_SECRET, the
    // secret the server made at its first start (kept in the database) signs them.
    const secret = config.sessionSecret ?? (await db.appSecrets.getOrCreate('session', new Date()));
    const domain: DomainContext = {
      db,
      routing: config.routing,
      now: () => new Date(),
      outbox: createOutbox(() => jobs, jobDefinitions),
      surveyLinks: surveyLinks(secret, config.publicUrl),
      accountLinks: accountLinks(secret, config.publicUrl),
    };
    // Past this many requests at once, callers are queueing on this process (see createJobs).
    const inFlight = new RequestsInFlight();
    const jobs = createJobs(
      { ...domain, logger, slack: slack?.client, zendesk, mailer, managerSlackIds: config.managerSlackIds },
      {
        pollMs: config.jobsPollMs,
        definitions: jobDefinitions,
        congested: () => inFlight.current >= CONGESTED_AT_REQUESTS,
        onDeadLetter: (letter) => {
          const report = { ...letter, error: { name: letter.error.name, message: letter.error.message }, managersTold: (letter.error as { managersTold?: unknown }).managersTold === true };
          void domain.db.unitOfWork((t) => alertDeadLetter(domain, t, report)).catch((err: unknown) => logger.error({ err }, 'could not alert the managers of a job given up'));
        },
      },
    );
    if (slack) registerListeners(slack.app, { ...domain, slack: slack.client, logger, managerSlackIds: config.managerSlackIds });
    if (slack) {
      // Posts stored while Slack was off go now rather than at their next look (SLACK_OFF_WAIT_MS).
      const waited = await jobs.backend.repository.runNowWhereFailedWith(SlackNotConfiguredError.MESSAGE);
      if (waited > 0) logger.info({ deliveries: waited }, 'Slack is on: sending what waited for it');
    }
    await jobs.start();

    const app = express();
    app.disable('x-powered-by');
    // API answers are not cached: no need to hash every body for an ETag.
    app.disable('etag');
    app.set('trust proxy', config.trustProxy);
    app.use(inFlight.middleware);
    // The busiest route first (it parses its own raw body, so Bolt's need for one is unaffected).
    app.use(zendeskWebhookRoutes({ config: config.zendesk, db, outbox: domain.outbox, logger }));

    // Bolt must see the raw body to check Slack's signature: it goes before any body parser.
    if (slack) {
      app.post(SLACK_EVENTS_PATH, ...slackRequestGate(slackConfig!.signingSecret, logger));
      app.use(slack.router);
    } else {
      // Said once here: the posts themselves wait quietly (SlackNotConfiguredError).
      logger.warn('Slack is off: tickets are stored, and their posts to Slack wait until Helpnet starts with SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET set.');
      app.post(SLACK_EVENTS_PATH, (_req, res) => {
        res.status(503).json({ ok: false, error: 'slack_not_configured' });
      });
    }
    if (!mailer) logger.info('Mail is off: set SMTP_URL (and MAIL_FROM) to email widget customers about new messages and portal customers their confirmation links.');
    if (!config.zendesk) logger.info('Zendesk is off: set ZENDESK_API_URL, ZENDESK_EMAIL, ZENDESK_API_TOKEN and ZENDESK_WEBHOOK_SECRET to turn it on.');

    app.use(widgetRoutes(domain));
    app.use(widgetApi(domain, { tokenSecret: secret, expertsConnected: !!slack }));
    app.use(widgetMessagesApi(domain, { expertsConnected: !!slack }));
    app.use(surveyRoutes(domain, { logger }));
    app.use(portalRoutes(domain, { secret, publicUrl: config.publicUrl, mail: !!mailer, expertsConnected: !!slack, logger }));
    if (sandbox) app.use('/sandbox', await sandbox.routes({ ...domain, logger, managerSlackIds: config.managerSlackIds }));
    app.use(healthRoutes(db, jobs, logger, { slack: sandbox ? 'sandbox' : slack ? 'on' : 'off' }));
    app.use(notFound);
    app.use(errorHandler(logger));

    const httpServer = sandbox ? sandbox.serve(app) : await listen(app, config.port);
    const port = (httpServer.address() as AddressInfo).port;
    logger.info({ port, publicUrl: config.publicUrl }, 'Helpnet is listening');
    if (sandbox) logger.info(`Sandbox: open ${config.publicUrl}/sandbox`);
    // Who the bot is, and which scopes the installed app lacks, said now rather than at the
    // first request; Slack unreachable now is not fatal (the first request asks again).
    void slack?.warmUp().catch((err: unknown) => logger.warn({ err }, 'could not ask Slack who the bot is yet; it will be asked again'));

    let closing: Promise<void> | undefined;
    return {
      url: `http://127.0.0.1:${port}`,
      port,
      db,
      jobs,
      services: domain,
      slack,
      close: (graceMs = 10_000) => (closing ??= shutdown(httpServer, jobs, db, logger, graceMs).finally(() => mailer?.close())),
    };
  } catch (err) {
    await sandbox?.abandon();
    await db.close();
    throw err;
  }
}

function listen(app: express.Express, port: number): Promise<Server> {
  return new Promise((ok, fail) => {
    const server = app.listen(port, (err?: Error) => (err ? fail(err) : ok(server)));
  });
}

async function shutdown(server: Server, jobs: Jobs, db: Database, logger: Logger, graceMs: number): Promise<void> {
  logger.info('shutting down: no new connections, finishing requests in flight');
  const drained = new Promise<void>((ok) => server.close(() => ok()));
  // Keep-alive sockets that fall idle after their last response are closed as they go idle.
  const reaper = setInterval(() => server.closeIdleConnections(), 50);
  server.closeIdleConnections();
  const deadline = new Promise<'timeout'>((ok) => setTimeout(() => ok('timeout'), graceMs).unref());
  if ((await Promise.race([drained, deadline])) === 'timeout') {
    logger.warn({ graceMs }, 'requests still running after the grace period: closing them');
    server.closeAllConnections();
  }
  clearInterval(reaper);
  await jobs.stop(graceMs);
  await db.close();
  logger.info('shutdown complete');
}
