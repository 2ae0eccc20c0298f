import type { Identity } from './scrub-identity.ts';

interface Person {
  name: string | null;
  email: string | null;
  phone?: string | null;
  company?: string | null;
  /** JSON array, as stored (experts.slack_names, customers.slack_names). */
  slackNames?: string | null;
}

/** What to scrub from a person's messages: their name, email, phone, company and Slack names. */
export function identityOf(person: Person): Identity {
  return { name: person.name, email: person.email, phone: person.phone ?? null, company: person.company ?? null, otherNames: parseSlackNames(person.slackNames) };
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
