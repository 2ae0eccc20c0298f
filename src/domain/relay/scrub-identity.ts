export interface Identity {
  name?: string | null;
  email?: string | null;
  phone?: string | null;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Replaces a sender's own identity in what they wrote — full name, each part of it, email,
 * phone number in any punctuation — with their alias, so a signature or an "I'm Ann from
 * IT" does not undo the aliasing. Whole words only, ignoring case.
 */
export function scrubIdentity(text: string, who: Identity, alias: string): string {
  const patterns: RegExp[] = [];
  if (who.email) patterns.push(new RegExp(escapeRegExp(who.email), 'giu'));
  const name = who.name?.trim();
  if (name) {
    const parts = name.split(/\s+/u).filter((p) => p.length >= 3);
    // The whole name first, so "Ann Lee" becomes one alias rather than two.
    for (const piece of [name, ...parts]) patterns.push(new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(piece).replace(/\s+/g, '\\s+')}(?![\\p{L}\\p{N}])`, 'giu'));
  }
  const digits = who.phone?.replace(/\D/g, '') ?? '';
  if (digits.length >= 6) {
    // The last 6+ digits in any grouping: "+1 (555) 010-2345" and "5550102345" alike.
    const tail = digits.slice(-Math.min(digits.length, 10));
    patterns.push(new RegExp(`(?<!\\d)(?:\\+?[\\d\\s().-]*)${[...tail].join('[\\s().-]*')}(?!\\d)`, 'g'));
  }
  return patterns.reduce((out, re) => out.replace(re, alias), text);
}
