import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.ts';
import { loadRoutingFile, parseRouting } from '../../src/config/routing.ts';
import { REPO_ROOT } from '../support/spawn-helpnet.ts';
import { testRouting } from '../support/test-routing.ts';

function errorOf(doc: unknown): string {
  const text = typeof doc === 'string' ? doc : stringify(doc);
  try {
    parseRouting(text, 'routing.yml');
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
}

function mutate(change: (r: ReturnType<typeof testRouting>) => void): unknown {
  const r = testRouting();
  change(r);
  return r;
}

describe('routing file', () => {
  it('parses the shipped example, filling defaults', () => {
    const r = loadRoutingFile(join(REPO_ROOT, 'config/routing.example.yml'));
    expect(r.categories.map((c) => c.key)).toEqual(['ms-exchange', 'windows-nt']);
    expect(r.categories[0]!.tiers[1]).toEqual({ group: 'messaging-l2', timeoutMinutes: 20 });
    expect(r.survey.defaults).toEqual({ solved: true, timeliness: 3, helpfulness: 3 });
    expect(r.ranking.halfLifeDays).toBe(90);
  });

  it('accepts JSON as well as YAML, and fractional timeouts', () => {
    const r = parseRouting(JSON.stringify(mutate((x) => (x.categories[0]!.tiers[0]!.timeoutMinutes = 0.02))), 'routing.json');
    expect(r.categories[0]!.tiers[0]!.timeoutMinutes).toBe(0.02);
    expect(r.categories[0]!.shareCustomerContact).toBe(false);
    expect(r.groups[0]!.pageTop).toBe(2);
  });

  it('names the YAML path of an unknown group', () => {
    expect(errorOf(mutate((r) => (r.categories[1]!.tiers[0]!.group = 'l3')))).toContain(
      'routing.yml: categories[1].tiers[0].group: unknown group "l3" (groups are "exchange-l1", "messaging-l2", "windows-l1")',
    );
  });

  it.each([
    ['a duplicate group key', (r: ReturnType<typeof testRouting>) => (r.groups[2]!.key = 'exchange-l1'), 'groups[2].key: duplicate key "exchange-l1" (also groups[0])'],
    ['a duplicate category key', (r: ReturnType<typeof testRouting>) => (r.categories[1]!.key = 'ms-exchange'), 'categories[1].key: duplicate key "ms-exchange"'],
    ['a category without tiers', (r: ReturnType<typeof testRouting>) => (r.categories[0]!.tiers = []), 'categories[0].tiers: expected at least one tier'],
    ['a zero timeout', (r: ReturnType<typeof testRouting>) => (r.categories[0]!.tiers[1]!.timeoutMinutes = 0), 'categories[0].tiers[1].timeoutMinutes: expected a number of minutes'],
    ['a channel name instead of an id', (r: ReturnType<typeof testRouting>) => (r.groups[0]!.channel = '#exchange'), 'groups[0].channel: expected a Slack channel id such as C0EXCH001'],
    ['a negative rate', (r: ReturnType<typeof testRouting>) => (r.categories[0]!.rates.customer = -5), 'categories[0].rates.customer: expected a number of 0 or more'],
    ['a misspelt key', (r: ReturnType<typeof testRouting>) => Object.assign(r.categories[0]!.tiers[0]!, { timoutMinutes: 5 }), 'categories[0].tiers[0]: Unrecognized key: "timoutMinutes"'],
    ['an unknown default category', (r: ReturnType<typeof testRouting>) => (r.defaultCategory = 'printers'), 'defaultCategory: unknown category "printers"'],
    ['a missing managers channel', (r: ReturnType<typeof testRouting>) => delete (r as Partial<typeof r>).managersChannel, 'managersChannel: '],
    ['an upper-case key', (r: ReturnType<typeof testRouting>) => (r.groups[1]!.key = 'L2'), 'groups[1].key: expected a key of lower-case letters'],
    ['a text where a number belongs', (r: ReturnType<typeof testRouting>) => Object.assign(r.groups[0]!, { pageTop: 'three' }), 'groups[0].pageTop: '],
  ])('explains %s', (_what, change, message) => {
    const text = errorOf(mutate(change));
    expect(text).toContain(message);
    expect(text).toContain('docs/routing.md');
  });

  it('explains a survey score out of range', () => {
    expect(errorOf({ ...testRouting(), survey: { defaults: { solved: true, timeliness: 9, helpfulness: 3 } } })).toContain('survey.defaults.timeliness: ');
  });

  it.each([
    ['a currency that is not ISO 4217', { currency: 'usd' }, 'currency: expected an ISO 4217 currency code in capitals'],
    ['a made-up currency', { currency: 'XYZ' }, 'currency: expected an ISO 4217 currency code'],
    ['a defaulted weight above 1', { ranking: { defaultedWeight: 2 } }, 'ranking.defaultedWeight: expected a weight from 0 to 1'],
    ['a top band outside the scale', { fees: { topBandFrom: 7 } }, 'fees.topBandFrom: expected a score from 1 to 5'],
    ['a bonus below 1', { fees: { topBandMultiplier: 0.5 } }, 'fees.topBandMultiplier: expected a multiplier of 1 or more'],
    ['an unknown statement period', { statements: { every: 'day' } }, 'statements.every: expected "month" or "week"'],
    ['a misspelt fees key', { fees: { topBand: 4 } }, 'fees: Unrecognized key: "topBand"'],
  ])('explains %s', (_what, extra, message) => {
    const text = errorOf({ ...testRouting(), ...extra });
    expect(text).toContain(message);
  });

  it('refuses a rate in fractions of a cent, naming the path', () => {
    const r = testRouting();
    r.categories[0]!.rates.expert = 30.005;
    expect(errorOf(r)).toContain('categories[0].rates.expert: expected an amount in whole cents (at most two decimals)');
  });

  it('defaults money and statement keys', () => {
    const r = parseRouting(JSON.stringify(testRouting()), 'routing.yml');
    expect(r.currency).toBe('USD');
    expect(r.fees).toEqual({ topBandFrom: 4.5, topBandMultiplier: 1.25 });
    expect(r.statements).toEqual({ every: 'month' });
    expect(r.ranking.defaultedWeight).toBe(0.5);
  });

  it('reads widget.allowedOrigins as origins a browser sends, naming the entry that is not one', () => {
    expect(parseRouting(JSON.stringify({ ...testRouting(), widget: undefined }), 'routing.yml').widget).toEqual({ allowedOrigins: [] });
    const ok = parseRouting(JSON.stringify({ ...testRouting(), widget: { allowedOrigins: ['https://www.example.com', 'http://localhost:8080', 'http://[::1]:3000'] } }), 'routing.yml');
    expect(ok.widget.allowedOrigins).toEqual(['https://www.example.com', 'http://localhost:8080', 'http://[::1]:3000']);
    const bad = (origin: unknown) => errorOf({ ...testRouting(), widget: { allowedOrigins: ['https://ok.example.com', origin] } });
    expect(bad('https://shop.example.com/')).toContain('widget.allowedOrigins[1]: expected an origin: http or https, a host and an optional port, without a path (e.g. "https://www.example.com"), not "https://shop.example.com/"');
    expect(bad('https://shop.example.com/store')).toContain('widget.allowedOrigins[1]: expected an origin');
    expect(bad('shop.example.com')).toContain('widget.allowedOrigins[1]: expected an origin');
    expect(bad('ftp://shop.example.com')).toContain('widget.allowedOrigins[1]: expected an origin');
    expect(bad('*')).toContain('widget.allowedOrigins[1]: expected an origin');
    expect(bad('https://Shop.Example.com')).toContain('widget.allowedOrigins[1]: expected the origin as a browser sends it: "https://shop.example.com", not "https://Shop.Example.com"');
    expect(bad('https://shop.example.com:443')).toContain('widget.allowedOrigins[1]: expected the origin as a browser sends it: "https://shop.example.com"');
    expect(bad(42)).toContain('widget.allowedOrigins[1]: expected an origin such as "https://www.example.com"');
    expect(bad('https://ok.example.com')).toContain('widget.allowedOrigins[1]: duplicate origin "https://ok.example.com" (also widget.allowedOrigins[0])');
    expect(errorOf({ ...testRouting(), widget: { allowedOrigins: 'https://ok.example.com' } })).toContain('widget.allowedOrigins: expected a list of origins');
    expect(errorOf({ ...testRouting(), widget: { origins: [] } })).toContain('widget');
  });

  it('explains a zendesk tag mapped to an unknown category', () => {
    expect(errorOf({ ...testRouting(), zendesk: { tagMap: { mail: 'e-mail' } } })).toContain('zendesk.tagMap.mail: unknown category "e-mail"');
    expect(errorOf({ ...testRouting(), zendesk: { tagMap: { mail: 'ms-exchange', Mail: 'windows-nt' } } })).toContain('zendesk.tagMap.Mail: the same tag as "mail" (tags are matched regardless of case); keep one');
  });

  it('gives the line of a YAML syntax error', () => {
    expect(errorOf('groups:\n  - key: a\n    channel: [C1\ncategories: []\n')).toMatch(/routing.yml: not valid YAML or JSON at line \d+, column \d+/);
  });

  it('refuses an empty file', () => {
    expect(errorOf('')).toMatch(/routing.yml: \(top level\): /);
  });

  it('says when the file cannot be read', () => {
    expect(() => loadRoutingFile('/nonexistent/routing.yml')).toThrow(/ROUTING_FILE: cannot read "\/nonexistent\/routing.yml" \(ENOENT\)/);
  });

  it('keeps the documented example in docs/routing.md valid', () => {
    const doc = readFileSync(join(REPO_ROOT, 'docs/routing.md'), 'utf8');
    const yaml = /```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(yaml).toBeDefined();
    expect(parseRouting(yaml!, 'docs/routing.md').groups.length).toBeGreaterThan(0);
  });
});
