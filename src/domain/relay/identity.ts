import type { Identity } from './scrub-identity.ts';

interface Person {
  name: string | null;
  email: string | null;
  phone?: string | null;
  company?: string | null;
  /** JSON array, as stored (experts.slack_names, customers.slack_names). */
  slackNames?: string | null;
  /** JSON, as stored (customers.former_identity): see FormerIdentity. */
  formerIdentity?: string | null;
}

/**
 * What to scrub from a person's messages: their name, email, phone, company and Slack
 * names, and every one of those they have given before.
 */
export function identitiesOf(person: Person): Identity[] {
  const former = parseFormerIdentity(person.formerIdentity);
  return [
    { name: person.name, email: person.email, phone: person.phone ?? null, company: person.company ?? null, otherNames: [...parseSlackNames(person.slackNames), ...former.slackNames] },
    ...former.names.map((name) => ({ name })),
    ...former.emails.map((email) => ({ email })),
    ...former.phones.map((phone) => ({ phone })),
    ...former.companies.map((company) => ({ company })),
  ];
}

export function parseSlackNames(stored: string | null | undefined): string[] {
  if (!stored) return [];
  try {
    const names: unknown = JSON.parse(stored);
    return Array.isArray(names) ? names.filter((n): n is string => typeof n === 'string') : [];
  } catch {
    return [];
  }
}

/** The stored form of a list of names: distinct, non-blank, null when there are none. */
export function storeSlackNames(names: readonly (string | null | undefined)[]): string | null {
  const distinct = [...new Set(names.map((n) => n?.trim()).filter((n): n is string => !!n))];
  return distinct.length > 0 ? JSON.stringify(distinct) : null;
}

/**
 * Every name, address, phone number, company and Slack name a customer has given before
 * the ones they go by now (customers.former_identity, JSON): still scrubbed from what they
 * write, since any of them may be in a signature or an old thread they paste.
 */
export interface FormerIdentity {
  names: string[];
  emails: string[];
  phones: string[];
  companies: string[];
  slackNames: string[];
}

const FORMER_KEYS = ['names', 'emails', 'phones', 'companies', 'slackNames'] as const;

export function parseFormerIdentity(stored: string | null | undefined): FormerIdentity {
  const former: FormerIdentity = { names: [], emails: [], phones: [], companies: [], slackNames: [] };
  if (!stored) return former;
  try {
    const parsed = JSON.parse(stored) as Record<string, unknown>;
    for (const key of FORMER_KEYS) {
      const list = parsed?.[key];
      if (Array.isArray(list)) former[key] = list.filter((v): v is string => typeof v === 'string');
    }
  } catch {
    // Unreadable: nothing known.
  }
  return former;
}

/** The stored form: only the lists that have something; null when none has. */
export function storeFormerIdentity(former: FormerIdentity): string | null {
  const kept = Object.fromEntries(FORMER_KEYS.filter((k) => former[k].length > 0).map((k) => [k, former[k]]));
  return Object.keys(kept).length > 0 ? JSON.stringify(kept) : null;
}
