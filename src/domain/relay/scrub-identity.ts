export interface Identity {
  name?: string | null;
  email?: string | null;
  phone?: string | null;
  /** Other names they go by (Slack display name, handle): replaced whole, not word by word. */
  otherNames?: readonly string[];
  /** Where they work: replaced whole by "(company)", not by the alias. */
  company?: string | null;
}

export const COMPANY_PLACEHOLDER = '(company)';

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const word = (piece: string) => `(?<![\\p{L}\\p{N}])${escapeRegExp(piece).replace(/\s+/g, '\\s+')}(?![\\p{L}\\p{N}])`;

/**
 * Replaces a sender's own identity (or several people's: a ticket's requester and whoever
 * else commented on it) in what they wrote — full name, each part of it, email,
 * phone number in any punctuation, other names such as a Slack display name — with their
 * alias, and their company with "(company)", so a signature or an "I'm Ann from IT" does
 * not undo the aliasing. Whole words only, ignoring case; one pass, so what is put in is
 * never matched again.
 */
export function scrubIdentity(text: string, who: Identity | readonly Identity[], alias: string): string {
  const people = Array.isArray(who) ? (who as readonly Identity[]) : [who as Identity];
  const alternatives: string[] = [];
  const wholes: string[] = [];
  const parts: string[] = [];
  for (const person of people) {
    if (person.email) alternatives.push(escapeRegExp(person.email));
    const company = person.company?.trim();
    // Before names, so that a company named like a part of a person's name reads as one.
    if (company && company.length >= 2) alternatives.push(`(?<company${alternatives.length}>${word(company)})`);
    const digits = person.phone?.replace(/\D/g, '') ?? '';
    if (digits.length >= 6) alternatives.push(phonePattern(digits));
    const name = person.name?.trim();
    wholes.push(...[name, ...(person.otherNames ?? []).map((n) => n.trim())].filter((n): n is string => !!n && n.length >= 2));
    if (name) parts.push(...name.split(/\s+/u).filter((p) => p.length >= 3));
  }
  // Whole names, longest first, before the parts of names, so "Ann Lee" becomes one alias rather than two.
  const pieces = [...new Set([...wholes.sort((a, b) => b.length - a.length), ...parts])];
  for (const piece of pieces) alternatives.push(word(piece));
  if (alternatives.length === 0) return text;
  return text.replace(new RegExp(alternatives.join('|'), 'giu'), (...args: unknown[]) => {
    const groups = args.at(-1);
    const isCompany = typeof groups === 'object' && groups !== null && Object.values(groups).some((g) => g !== undefined);
    return isCompany ? COMPANY_PLACEHOLDER : alias;
  });
}

const SEP = '[\\s().-]{0,3}';

/**
 * A phone number in any grouping and with or without its country or trunk code: the last
 * seven digits (all, if fewer) are required, up to three before them optional, and any
 * short prefix ("+44 (0)") allowed. The prefix is bounded, so a long run of digits costs
 * linear time.
 */
function phonePattern(digits: string): string {
  const tail = digits.slice(-10);
  const required = tail.slice(-7);
  let optional = '';
  for (const d of tail.slice(0, -7)) optional = `(?:${optional}${d}${SEP})?`;
  return `(?<!\\d)(?:\\+?[\\d(][\\d\\s().-]{0,7}?)?${optional}${[...required].join(SEP)}(?!\\d)`;
}
