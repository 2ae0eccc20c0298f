import { isIP } from 'node:net';
import { z } from 'zod';
import { ConfigError } from './config-error.ts';

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const httpUrl = (what: string) =>
  z
    .string()
    .trim()
    .refine((v) => /^https?:\/\/[^\s/]+/.test(v) && URL.canParse(v), {
      message: `expected an http(s) URL (${what})`,
    });

/** 0 asks the system for any free port (tests and demos run that way). */
const PORT_EXPECTED = 'expected a whole number from 1 to 65535, or 0 to pick a free port';

const port = z
  .string()
  .trim()
  .regex(/^\d+$/, PORT_EXPECTED)
  .transform(Number)
  .refine((n) => n >= 0 && n <= 65535, PORT_EXPECTED);

const positiveInt = (what: string) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `expected a whole number of ${what}`)
    .transform(Number)
    .refine((n) => n > 0, `expected a whole number of ${what} above 0`);

const databaseUrl = z
  .string()
  .trim()
  .refine((v) => /^sqlite:.+/.test(v) || /^(mysql|mariadb):\/\/[^/]+\/[^/?]+/.test(v), {
    message:
      'expected "sqlite:path/to/file.sqlite" or "mysql://user:pass@host:3306/database"',
  });

const slackUserIds = z
  .string()
  .trim()
  .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
  .refine((ids) => ids.every((id) => /^[UW][A-Z0-9]{2,}$/.test(id)), {
    message: 'expected comma-separated Slack user ids such as U024BE7LH,U0G9QF9C6',
  });

const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

/**
 * Which proxies in front of Helpnet may say who the client is (X-Forwarded-For), as
 * Express's `trust proxy` takes it: a number of hops, or a comma-separated list of
 * addresses, subnets and the names loopback, linklocal, uniquelocal. Per-address limits
 * (the widget's) count the address this yields.
 */
const TRUST_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);
const trustProxy = z
  .string()
  .trim()
  .refine(
    (v) => /^\d+$/.test(v) || v.split(',').every((part) => TRUST_NAMES.has(part.trim()) || isIP(part.trim().replace(/\/\d{1,3}$/, '')) !== 0),
    'expected a number of proxy hops, or a comma-separated list of addresses, subnets (10.0.0.0/8) and loopback, linklocal, uniquelocal',
  )
  .transform((v): number | string => (/^\d+$/.test(v) ? Number(v) : v.split(',').map((p) => p.trim()).join(',')));

/** The raw environment, as the operator wrote it. Empty strings count as unset. */
const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: port.default(3000),
  PUBLIC_URL: httpUrl('the base URL people reach Helpnet at, e.g. https://help.example.com').optional(),
  DATABASE_URL: databaseUrl.default('sqlite:data/helpnet.sqlite'),
  SLACK_BOT_TOKEN: z
    .string()
    .trim()
    .regex(/^xox[bp]-/, 'expected a bot token starting with "xoxb-" (Slack app → OAuth & Permissions)')
    .optional(),
  SLACK_SIGNING_SECRET: z
    .string()
    .trim()
    .min(8, 'expected the signing secret from Slack app → Basic Information → App Credentials')
    .optional(),
  SLACK_API_URL: httpUrl('the Slack Web API base').default('https://slack.com/api/'),
  ZENDESK_API_URL: httpUrl('e.g. https://acme.zendesk.com/api/v2').optional(),
  ZENDESK_EMAIL: z.email('expected the email address of the Zendesk API user').optional(),
  ZENDESK_API_TOKEN: optionalText,
  ZENDESK_WEBHOOK_SECRET: optionalText,
  ROUTING_FILE: optionalText,
  MANAGER_SLACK_IDS: slackUserIds.default([]),
  SESSION_SECRET: z.string().min(32, 'expected at least 32 random characters').optional(),
  JOBS_POLL_MS: positiveInt('milliseconds').default(5000),
  SMTP_URL: z
    .string()
    .trim()
    .refine((v) => /^smtps?:\/\/[^\s/]+/.test(v), 'expected smtp://host:port or smtps://user:pass@host:port')
    .optional(),
  MAIL_FROM: optionalText,
  TRUST_PROXY: trustProxy.default('loopback'),
  LOG_LEVEL: logLevel.default('info'),
  /** 1: run against the built-in Slack sandbox; 0: never; unset: when no Slack credentials are set, outside production. */
  HELPNET_SANDBOX: z.enum(['0', '1'], { error: 'expected 1 (run the built-in Slack sandbox) or 0 (never)' }).optional(),
});

export type RawEnv = z.infer<typeof envSchema>;

/** How to get each required variable, for the error that says it is missing. */
const HOW_TO_GET: Record<string, string> = {
  SLACK_BOT_TOKEN: 'the Bot User OAuth Token from your Slack app → OAuth & Permissions',
  SLACK_SIGNING_SECRET: 'the Signing Secret from your Slack app → Basic Information',
  ZENDESK_API_URL: 'your Zendesk API base, https://YOUR-SUBDOMAIN.zendesk.com/api/v2',
  ZENDESK_EMAIL: 'the email of the Zendesk user Helpnet acts as',
  ZENDESK_API_TOKEN: 'an API token from Zendesk Admin Center → Apps and integrations → APIs → API tokens',
  ZENDESK_WEBHOOK_SECRET: 'the signing secret of the Helpnet webhook in Zendesk Admin Center → Webhooks',
  SESSION_SECRET: 'at least 32 random characters, e.g. from `openssl rand -hex 32`',
};

/** Drops empty values so that `FOO=` behaves like an unset variable. */
function withoutEmpty(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v.trim() !== '') out[k] = v;
  return out;
}

export function parseEnv(env: NodeJS.ProcessEnv): RawEnv {
  const result = envSchema.safeParse(withoutEmpty(env));
  const problems: string[] = [];
  if (!result.success) {
    for (const issue of result.error.issues) {
      const name = String(issue.path[0] ?? '');
      const given = env[name];
      const shown = name.includes('SECRET') || name.includes('TOKEN') ? '' : given ? ` (got "${given}")` : '';
      problems.push(`${name}: ${issue.message}${shown}`);
    }
  } else {
    const e = result.data;
    const requireTogether = (names: string[], feature: string) => {
      const set = names.filter((n) => e[n as keyof RawEnv] !== undefined);
      if (set.length > 0 && set.length < names.length) {
        for (const n of names.filter((x) => !set.includes(x))) {
          problems.push(`${n}: required when ${set.join(' and ')} ${set.length > 1 ? 'are' : 'is'} set (${feature}); expected ${HOW_TO_GET[n] ?? 'a value'}`);
        }
      }
    };
    requireTogether(['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET'], 'Slack');
    requireTogether(['ZENDESK_API_URL', 'ZENDESK_EMAIL', 'ZENDESK_API_TOKEN', 'ZENDESK_WEBHOOK_SECRET'], 'Zendesk');
    if (e.NODE_ENV === 'production' && !e.SESSION_SECRET) {
      problems.push(`SESSION_SECRET: required when NODE_ENV is production; expected ${HOW_TO_GET.SESSION_SECRET}`);
    }
    if (e.NODE_ENV === 'production' && e.HELPNET_SANDBOX === '1') {
      problems.push('HELPNET_SANDBOX: the built-in Slack sandbox is refused when NODE_ENV is production (anyone could act as any expert there); unset it, or set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET');
    }
    if (e.MAIL_FROM && !e.SMTP_URL) problems.push('SMTP_URL: required when MAIL_FROM is set; expected smtp://host:port');
    if (problems.length === 0) return e;
  }
  throw new ConfigError(`Invalid environment: ${problems.join('; ')}.`);
}
