import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from './env.ts';
import { loadRoutingFile, type Routing } from './routing.ts';

export interface SlackConfig {
  botToken: string;
  signingSecret: string;
  apiUrl: string;
}

export interface ZendeskConfig {
  apiUrl: string;
  email: string;
  apiToken: string;
  webhookSecret: string;
}

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  publicUrl: string;
  databaseUrl: string;
  /** Absent when Slack credentials are not set: the server runs without Slack. */
  slack: SlackConfig | undefined;
  /** Absent when ZENDESK_API_URL is not set. */
  zendesk: ZendeskConfig | undefined;
  routingFile: string;
  routing: Routing;
  managerSlackIds: string[];
  /** Unset: the server uses one it generated and keeps in the database (see server.ts). */
  sessionSecret: string | undefined;
  jobsPollMs: number;
  mail: { smtpUrl: string; from: string } | undefined;
  /** Express's `trust proxy`: which proxies' X-Forwarded-For names the client (TRUST_PROXY). */
  trustProxy: number | string;
  logLevel: string;
  /**
   * Runs Helpnet against the built-in Slack stand-in (src/sandbox/): never with real Slack
   * credentials, never in production (see sandboxWanted).
   */
  sandbox: boolean;
  /** Startup notes worth logging once the logger exists (e.g. which defaults were taken). */
  notices: string[];
}

const DEFAULT_ROUTING_FILE = 'config/routing.yml';
const EXAMPLE_ROUTING_FILE = 'config/routing.example.yml';
/** The sandbox's own routing: its channels, and survey timelines in minutes so a demo sees them run. */
const SANDBOX_ROUTING_FILE = 'config/routing.sandbox.yml';
/** Who the sandbox's manager is (src/sandbox/seed.ts creates them). */
export const SANDBOX_MANAGER_ID = 'U0SBXMGR1';

/**
 * Whether the sandbox runs: asked for (HELPNET_SANDBOX=1), or by default when Slack is not
 * configured outside production. Real credentials always win: no stand-in exists beside them.
 */
export function sandboxWanted(e: { NODE_ENV: string; HELPNET_SANDBOX?: '0' | '1'; SLACK_BOT_TOKEN?: string }): boolean {
  if (e.SLACK_BOT_TOKEN || e.HELPNET_SANDBOX === '0') return false;
  if (e.HELPNET_SANDBOX === '1') return true;
  return e.NODE_ENV !== 'production';
}

/**
 * Reads the environment and the routing file once, validated. Throws ConfigError (exit 2)
 * with a message naming what is wrong. `cwd` resolves relative paths (tests pass their own).
 */
export function loadConfig(env: NodeJS.ProcessEnv, cwd = process.cwd()): Config {
  const e = parseEnv(env);
  const notices: string[] = [];
  const sandbox = sandboxWanted(e);
  if (e.HELPNET_SANDBOX === '1' && !sandbox) notices.push('HELPNET_SANDBOX=1 is ignored: Slack credentials are set, and the sandbox never runs beside a real Slack.');

  let routingFile = resolve(cwd, e.ROUTING_FILE ?? (sandbox ? SANDBOX_ROUTING_FILE : DEFAULT_ROUTING_FILE));
  // A fresh clone has only the example; outside production, run on it rather than refuse.
  if (!e.ROUTING_FILE && !existsSync(routingFile) && e.NODE_ENV !== 'production') {
    routingFile = resolve(cwd, EXAMPLE_ROUTING_FILE);
    notices.push(
      `No ${DEFAULT_ROUTING_FILE}: using ${EXAMPLE_ROUTING_FILE}. Copy it to ${DEFAULT_ROUTING_FILE} and put your own channels in it.`,
    );
  }
  const routing = loadRoutingFile(routingFile);

  const slack =
    e.SLACK_BOT_TOKEN && e.SLACK_SIGNING_SECRET
      ? {
          botToken: e.SLACK_BOT_TOKEN,
          signingSecret: e.SLACK_SIGNING_SECRET,
          apiUrl: e.SLACK_API_URL.endsWith('/') ? e.SLACK_API_URL : `${e.SLACK_API_URL}/`,
        }
      : undefined;
  const zendesk =
    e.ZENDESK_API_URL && e.ZENDESK_EMAIL && e.ZENDESK_API_TOKEN && e.ZENDESK_WEBHOOK_SECRET
      ? {
          apiUrl: e.ZENDESK_API_URL.replace(/\/+$/, ''),
          email: e.ZENDESK_EMAIL,
          apiToken: e.ZENDESK_API_TOKEN,
          webhookSecret: e.ZENDESK_WEBHOOK_SECRET,
        }
      : undefined;

  const sessionSecret = e.SESSION_SECRET;
  if (!sessionSecret) notices.push('SESSION_SECRET is not set: using a secret generated once and kept in the database (set SESSION_SECRET to choose your own).');

  return {
    env: e.NODE_ENV,
    port: e.PORT,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    databaseUrl: e.DATABASE_URL,
    slack,
    zendesk,
    routingFile,
    routing,
    managerSlackIds: sandbox && !e.MANAGER_SLACK_IDS.includes(SANDBOX_MANAGER_ID) ? [...e.MANAGER_SLACK_IDS, SANDBOX_MANAGER_ID] : e.MANAGER_SLACK_IDS,
    sessionSecret,
    jobsPollMs: e.JOBS_POLL_MS,
    mail: e.SMTP_URL ? { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM ?? 'Helpnet <helpnet@localhost>' } : undefined,
    trustProxy: e.TRUST_PROXY,
    logLevel: e.LOG_LEVEL,
    sandbox,
    notices,
  };
}
