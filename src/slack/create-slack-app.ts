import { App, ExpressReceiver } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import type { Router } from 'express';
import type { SlackConfig } from '../config/load-config.ts';
import type { Logger } from '../lib/logger.ts';
import { createAuthorize } from './authorize.ts';
import { warnOfMissingScopes } from './required-scopes.ts';
import { boltLogger } from './bolt-logger.ts';
import type { SlackContext } from './slack-context.ts';
import { ACTION_IDS, registerActions } from './listeners/actions/index.ts';
import { COMMANDS, registerCommands } from './listeners/commands/index.ts';
import { registerEvents } from './listeners/events/index.ts';
import { ignoreUnknownInteractions } from './listeners/ignore-unknown.ts';
import { registerViews, VIEW_CALLBACK_IDS } from './listeners/views/index.ts';

export const SLACK_EVENTS_PATH = '/slack/events';

export interface SlackApp {
  app: App;
  client: WebClient;
  /** Express router serving POST /slack/events; mount it before any body parser. */
  router: Router;
  /** Asks Slack who the bot is now rather than at the first request, and warns of scopes the app lacks. */
  warmUp(): Promise<void>;
}

/** Bolt over HTTP: one endpoint for events, commands and interactivity, signature-checked. */
export function createSlackApp(config: SlackConfig, logger: Logger): SlackApp {
  const log = boltLogger(logger);
  // No retrying inside the client: deliveries are jobs that retry (honouring Retry-After)
  // without holding a worker, and interactive calls must answer within Slack's 3 seconds.
  // A time limit, so a call Slack never answers fails (and its delivery is retried) instead of hanging.
  const clientOptions = { slackApiUrl: config.apiUrl, logger: log, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, timeout: 10_000 };
  const client = new WebClient(config.botToken, clientOptions);
  const receiver = new ExpressReceiver({
    signingSecret: config.signingSecret,
    endpoints: SLACK_EVENTS_PATH,
    logger: log,
    // Slack hears back once the listeners are done, not as soon as they ack: an event (a
    // message someone wrote) is acknowledged only after it is stored, so a burst of them
    // waits at Slack's side instead of piling up in memory here. Listeners ack first and do
    // only short work (rows, and at most the one Slack call that must be made within the 3
    // seconds, views.open with its trigger), well within Slack's 3 seconds. Answers to
    // clicks go to the click's response_url without being waited for (answer-clicker.ts).
    processBeforeResponse: true,
  });
  const authorize = createAuthorize(client, config.botToken, (answer) => warnOfMissingScopes(answer.response_metadata?.scopes, logger));
  const app = new App({
    receiver,
    authorize,
    clientOptions,
    logger: log,
    // Helpnet keeps its own state; Bolt's per-conversation store would only cost every event a lookup.
    convoStore: false,
  });
  app.error(async (error) => {
    logger.error({ err: error }, 'slack handler failed');
  });
  return { app, client, router: receiver.router as Router, warmUp: authorize.warmUp };
}

/** Connects the listeners (commands, views, actions, events) to what they need. */
export function registerListeners(app: App, services: SlackContext): void {
  app.use(ignoreUnknownInteractions({ actions: ACTION_IDS, views: VIEW_CALLBACK_IDS, commands: COMMANDS }, services.logger));
  registerCommands(app, services);
  registerViews(app, services);
  registerActions(app, services);
  registerEvents(app, services);
}
