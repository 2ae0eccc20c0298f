import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { ConfigError, describeIssues } from './config-error.ts';

const key = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'expected a key of lower-case letters, digits and dashes, e.g. "exchange-l1"');
const channelId = z
  .string()
  .regex(/^[CGD][A-Z0-9]{2,}$/, 'expected a Slack channel id such as C0EXCH001 (not a #name)');
const positive = (what: string) => z.number({ error: `expected a number of ${what}` }).positive(`expected a number of ${what} above 0`);
const nonNegative = z.number({ error: 'expected a number' }).min(0, 'expected a number of 0 or more');
const score = z.number().int().min(1).max(5);
/** An amount of money in major units (40, 39.99): whole cents, as the database keeps them (DECIMAL(10,2)). */
const rate = nonNegative
  .max(99_999_999.99, 'expected at most 99999999.99')
  .refine((v) => Math.abs(v * 100 - Math.round(v * 100)) < 1e-6, 'expected an amount in whole cents (at most two decimals), e.g. 39.99');
const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));
const currency = z
  .string()
  .refine((c) => /^[A-Z]{3}$/.test(c) && CURRENCIES.has(c), 'expected an ISO 4217 currency code in capitals, e.g. USD or EUR');

const groupSchema = z.strictObject({
  key,
  name: z.string().min(1).optional(),
  channel: channelId,
  pageTop: z.number().int().min(0, 'expected 0 or more experts').default(3),
});

const tierSchema = z.strictObject({
  group: key,
  timeoutMinutes: positive('minutes (fractions allowed, e.g. 0.05 = 3 seconds)'),
});

const categorySchema = z.strictObject({
  key,
  name: z.string().trim().min(1, 'expected a display name'),
  rates: z.strictObject({ customer: rate, expert: rate }),
  tiers: z.array(tierSchema).min(1, 'expected at least one tier'),
  zendeskTags: z.array(z.string().min(1)).optional(),
  shareCustomerContact: z.boolean().default(false),
});

const surveySchema = z.strictObject({
  remindAfterHours: positive('hours').default(48),
  finalAfterHours: positive('hours').default(48),
  defaultAfterHours: positive('hours').default(48),
  defaults: z
    .strictObject({ solved: z.boolean(), timeliness: score, helpfulness: score })
    .default({ solved: true, timeliness: 3, helpfulness: 3 }),
});

const rankingSchema = z.strictObject({
  halfLifeDays: positive('days').default(90),
  priorWeight: nonNegative.default(5),
  suspendBelow: nonNegative.default(2.0),
  minSurveys: z.number().int().min(0).default(5),
  defaultedWeight: z.number().min(0, 'expected a weight from 0 to 1').max(1, 'expected a weight from 0 to 1').default(0.5),
});

const feesSchema = z.strictObject({
  /** An expert whose score is at least this when a ticket closes is in the top band… */
  topBandFrom: z.number().min(1, 'expected a score from 1 to 5').max(5, 'expected a score from 1 to 5').default(4.5),
  /** …and earns the category's expert rate times this for a solved ticket. */
  topBandMultiplier: z.number().min(1, 'expected a multiplier of 1 or more').max(10, 'expected a multiplier of at most 10').default(1.25),
});

const statementsSchema = z.strictObject({
  /** How often experts' statements are written: each calendar month (UTC) or each ISO week. */
  every: z.enum(['month', 'week'], { error: 'expected "month" or "week"' }).default('month'),
});

const zendeskSchema = z.strictObject({
  /** Id of a Zendesk custom ticket field whose value is a category key (or a tag mapped below). */
  categoryField: z.number().int().positive().optional(),
  /** Zendesk tag (or field value) → category key, for names that differ from the keys. */
  tagMap: z.record(z.string().min(1), key).default({}),
});

/**
 * A web origin as a browser sends it in its Origin header: `https://host` or
 * `http://host:port`, lower case, no default port, no path or trailing slash.
 */
const origin = z.string({ error: 'expected an origin such as "https://www.example.com"' }).superRefine((value, check) => {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || !/^https?:\/\/[^/?#]+$/.test(value)) {
    check.addIssue({ code: 'custom', message: `expected an origin: http or https, a host and an optional port, without a path (e.g. "https://www.example.com"), not "${value}"` });
  } else if (url.origin !== value) {
    check.addIssue({ code: 'custom', message: `expected the origin as a browser sends it: "${url.origin}", not "${value}"` });
  }
});

const widgetSchema = z.strictObject({
  /** The web sites that may embed the widget (its panel's frame-ancestors) and call the widget API from the browser (CORS). */
  allowedOrigins: z.array(origin, { error: 'expected a list of origins such as ["https://www.example.com"]' }).default([]),
});

const routingSchema = z.strictObject({
  groups: z.array(groupSchema).min(1, 'expected at least one expert group'),
  categories: z.array(categorySchema).min(1, 'expected at least one category'),
  defaultCategory: key.optional(),
  managersChannel: channelId,
  survey: surveySchema.default(surveySchema.parse({})),
  ranking: rankingSchema.default(rankingSchema.parse({})),
  currency: currency.default('USD'),
  fees: feesSchema.default(feesSchema.parse({})),
  statements: statementsSchema.default(statementsSchema.parse({})),
  zendesk: zendeskSchema.default(zendeskSchema.parse({})),
  widget: widgetSchema.default(widgetSchema.parse({})),
});

export type Routing = z.infer<typeof routingSchema>;

/** Rules that span entries: unique keys and references to groups and categories that exist. */
function crossCheck(r: Routing): string[] {
  const problems: string[] = [];
  const duplicates = (keys: string[], path: string) => {
    const seen = new Map<string, number>();
    keys.forEach((k, i) => {
      const first = seen.get(k);
      if (first !== undefined) problems.push(`${path}[${i}].key: duplicate key "${k}" (also ${path}[${first}])`);
      else seen.set(k, i);
    });
  };
  duplicates(r.groups.map((g) => g.key), 'groups');
  duplicates(r.categories.map((c) => c.key), 'categories');
  const groupKeys = new Set(r.groups.map((g) => g.key));
  const categoryKeys = new Set(r.categories.map((c) => c.key));
  const known = (set: Set<string>) => [...set].map((k) => `"${k}"`).join(', ');
  r.categories.forEach((c, ci) => {
    c.tiers.forEach((t, ti) => {
      if (!groupKeys.has(t.group)) {
        problems.push(`categories[${ci}].tiers[${ti}].group: unknown group "${t.group}" (groups are ${known(groupKeys)})`);
      }
    });
  });
  if (r.defaultCategory && !categoryKeys.has(r.defaultCategory)) {
    problems.push(`defaultCategory: unknown category "${r.defaultCategory}" (categories are ${known(categoryKeys)})`);
  }
  // Zendesk tags are matched without regard to case, so two keys differing only in case would be one.
  const tagsSeen = new Map<string, string>();
  for (const [tag, cat] of Object.entries(r.zendesk.tagMap)) {
    if (!categoryKeys.has(cat)) problems.push(`zendesk.tagMap.${tag}: unknown category "${cat}" (categories are ${known(categoryKeys)})`);
    const earlier = tagsSeen.get(tag.toLowerCase());
    if (earlier !== undefined) problems.push(`zendesk.tagMap.${tag}: the same tag as "${earlier}" (tags are matched regardless of case); keep one`);
    else tagsSeen.set(tag.toLowerCase(), tag);
  }
  const originsSeen = new Map<string, number>();
  r.widget.allowedOrigins.forEach((o, i) => {
    const first = originsSeen.get(o);
    if (first !== undefined) problems.push(`widget.allowedOrigins[${i}]: duplicate origin "${o}" (also widget.allowedOrigins[${first}])`);
    else originsSeen.set(o, i);
  });
  return problems;
}

/** Parses routing-file text (YAML, of which JSON is a subset); `source` names the file in errors. */
export function parseRouting(text: string, source: string): Routing {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    const where = first.linePos?.[0] ? ` at line ${first.linePos[0].line}, column ${first.linePos[0].col}` : '';
    const what = first.message.split('\n')[0];
    throw new ConfigError(`${source}: not valid YAML or JSON${where}: ${what}.`);
  }
  const parsed = routingSchema.safeParse(doc.toJS());
  const problems = parsed.success ? crossCheck(parsed.data) : describeIssues(parsed.error.issues);
  if (problems.length > 0 || !parsed.success) {
    throw new ConfigError(`${source}: ${problems.join('; ')}. See docs/routing.md for the file's format.`);
  }
  return parsed.data;
}

export function loadRoutingFile(path: string): Routing {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError(
      `ROUTING_FILE: cannot read "${path}" (${code ?? String(err)}); expected a YAML or JSON routing file — copy config/routing.example.yml to start one.`,
    );
  }
  return parseRouting(text, path);
}

