import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.ts';
import { parseEnv } from '../../src/config/env.ts';

function errorOf(env: Record<string, string>): string {
  try {
    parseEnv(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('environment', () => {
  it('takes the documented defaults from an empty environment', () => {
    const e = parseEnv({});
    expect(e.PORT).toBe(3000);
    expect(e.DATABASE_URL).toBe('sqlite:data/helpnet.sqlite');
    expect(e.SLACK_API_URL).toBe('https://slack.com/api/');
    expect(e.JOBS_POLL_MS).toBe(5000);
    expect(e.MANAGER_SLACK_IDS).toEqual([]);
    expect(e.SLACK_BOT_TOKEN).toBeUndefined();
    expect(e.TRUST_PROXY).toBe('loopback');
  });

  it('takes TRUST_PROXY as a hop count or a list of addresses, subnets and names', () => {
    expect(parseEnv({ TRUST_PROXY: '2' }).TRUST_PROXY).toBe(2);
    expect(parseEnv({ TRUST_PROXY: 'loopback, 10.0.0.0/8, fd00::1' }).TRUST_PROXY).toBe('loopback,10.0.0.0/8,fd00::1');
  });

  it('treats empty values as unset', () => {
    expect(parseEnv({ PORT: '', SLACK_BOT_TOKEN: ' ' }).PORT).toBe(3000);
  });

  it.each([
    [{ PORT: 'abc' }, /PORT: expected a whole number from 1 to 65535, or 0 to pick a free port \(got "abc"\)/],
    [{ PORT: '70000' }, /PORT: expected a whole number from 1 to 65535, or 0 to pick a free port \(got "70000"\)/],
    [{ DATABASE_URL: 'postgres://localhost/x' }, /DATABASE_URL: expected "sqlite:path\/to\/file.sqlite" or "mysql:\/\/user:pass@host:3306\/database"/],
    [{ JOBS_POLL_MS: '0' }, /JOBS_POLL_MS: expected a whole number of milliseconds above 0/],
    [{ PUBLIC_URL: 'help.example.com' }, /PUBLIC_URL: expected an http\(s\) URL/],
    [{ MANAGER_SLACK_IDS: 'U123ABC, bob' }, /MANAGER_SLACK_IDS: expected comma-separated Slack user ids/],
    [{ SLACK_BOT_TOKEN: 'abc', SLACK_SIGNING_SECRET: '0123456789' }, /SLACK_BOT_TOKEN: expected a bot token starting with "xoxb-"/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL: /],
    [{ SMTP_URL: 'mail.example.com' }, /SMTP_URL: expected smtp:\/\/host:port/],
    [{ TRUST_PROXY: 'my-proxy' }, /TRUST_PROXY: expected a number of proxy hops, or a comma-separated list of addresses/],
  ])('names the variable and what it expects: %o', (env, message) => {
    expect(errorOf(env)).toMatch(message);
  });

  it('does not echo secrets back in the message', () => {
    const message = errorOf({ SLACK_SIGNING_SECRET: 'short' });
    expect(message).toMatch(/SLACK_SIGNING_SECRET/);
    expect(message).not.toContain('short"');
  });

  it('requires both Slack credentials together, saying where to get the missing one', () => {
    expect(errorOf({ SLACK_BOT_TOKEN: 'xoxb-1-2-3' })).toMatch(/SLACK_SIGNING_SECRET: required when SLACK_BOT_TOKEN is set \(Slack\); expected the Signing Secret from your Slack app/);
  });

  it('requires all four Zendesk settings once one is set', () => {
    const message = errorOf({ ZENDESK_API_URL: 'https://acme.zendesk.com/api/v2' });
    for (const name of ['ZENDESK_EMAIL', 'ZENDESK_API_TOKEN', 'ZENDESK_WEBHOOK_SECRET']) expect(message).toContain(`${name}: required`);
  });

  it('says where to get a missing ZENDESK_API_URL', () => {
    const message = errorOf({ ZENDESK_EMAIL: 'helpnet@acme.example', ZENDESK_API_TOKEN: 'token', ZENDESK_WEBHOOK_SECRET: 'secret' });
    expect(message).toMatch(/ZENDESK_API_URL: required when .* \(Zendesk\); expected your Zendesk API base, https:\/\/YOUR-SUBDOMAIN\.zendesk\.com\/api\/v2/);
  });

  it('takes PORT=0 as "any free port"', () => {
    expect(parseEnv({ PORT: '0' }).PORT).toBe(0);
  });

  it('requires SESSION_SECRET in production', () => {
    expect(errorOf({ NODE_ENV: 'production' })).toMatch(/SESSION_SECRET: required when NODE_ENV is production/);
  });

  it('reports every problem at once, in one paragraph', () => {
    const message = errorOf({ PORT: 'x', JOBS_POLL_MS: '-1' });
    expect(message).toContain('PORT');
    expect(message).toContain('JOBS_POLL_MS');
    expect(message).not.toContain('\n');
  });
});
