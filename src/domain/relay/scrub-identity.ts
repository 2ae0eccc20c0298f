export interface Identity {
  name?: string | null;
  email?: string | null;
  phone?: string | null;
  /** Other names they go by (Slack display name, handle): replaced whole, not word by word. */
  otherNames?: readonly string[];
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const word = (piece: string) => `(?<![\\p{L}\\p{N}])${escapeRegExp(piece).replace(/\s+/g, '\\s+')}(?![\\p{L}\\p{N}])`;

/**
 * Replaces a sender's own identity in what they wrote — full name, each part of it, email,
 * phone number in any punctuation, other names such as a Slack display name — with their
 * alias, so a signature or an "I'm Ann from IT" does not undo the aliasing. Whole words
 * only, ignoring case; one pass, so the alias put in is never matched again.
 */
export function scrubIdentity(text: string, who: Identity, alias: string): string {
  const alternatives: string[] = [];
  if (who.email) alternatives.push(escapeRegExp(who.email));
  const digits = who.phone?.replace(/\D/g, '') ?? '';
  if (digits.length >= 6) {
    // The last (up to) 10 digits in any grouping, with whatever prefix: "+1 (555) 010-2345" and "5550102345" alike.
    const tail = digits.slice(-10);
    alternatives.push(`(?<!\\d)(?:\\+?[\\d(][\\d\\s().-]*?)?${[...tail].join('[\\s().-]*')}(?!\\d)`);
  }
  const name = who.name?.trim();
  // Whole names, longest first, before the parts of the name, so "Ann Lee" becomes one
  // alias rather than two.
  const wholes = [name, ...(who.otherNames ?? []).map((n) => n.trim())].filter((n): n is string => !!n && n.length >= 2);
  const parts = name ? name.split(/\s+/u).filter((p) => p.length >= 3) : [];
  const pieces = [...new Set([...wholes.sort((a, b) => b.length - a.length), ...parts])];
  for (const piece of pieces) alternatives.push(word(piece));
  if (alternatives.length === 0) return text;
  return text.replace(new RegExp(alternatives.join('|'), 'giu'), alias);
}
