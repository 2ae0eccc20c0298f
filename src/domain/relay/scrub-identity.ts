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
const literal = (piece: string) => escapeRegExp(piece).replace(/\s+/g, '\\s+');

/** One thing to replace: its pattern, whether it must stand as whole words, and what replaces it. */
interface Piece {
  source: string;
  wholeWords: boolean;
  company: boolean;
  /** A part of a longer name that is one plain word, as written: it counts only where written as a name (see writtenAsName). */
  asName?: string;
}

// Compiled once. Patterns built per identity stay free of Unicode property classes: V8
// takes a third of a millisecond to compile each `\p{L}` under /iu, and every ticket and
// relayed message has an identity of its own.
const LETTER_OR_DIGIT_BEFORE = /[\p{L}\p{N}]$/u;
const LETTER_OR_DIGIT_AFTER = /^[\p{L}\p{N}]/u;
const ONE_PLAIN_WORD = /^[\p{L}\p{M}]+$/u;
const standsAlone = (text: string, start: number, end: number) =>
  !LETTER_OR_DIGIT_BEFORE.test(text.slice(Math.max(0, start - 2), start)) && !LETTER_OR_DIGIT_AFTER.test(text.slice(end, end + 2));

/**
 * Whether a one-word part of a name, found ignoring case, is written there as a name: with an
 * initial capital (all capitals included), or exactly as the name writes it where that is
 * not all lower case ("d'Arcy") or the script has no case. Parts of names are often words
 * too — an expert "Mark Will" must not turn "please mark the box and I will check" into a
 * sentence that points at the name it hides.
 */
function writtenAsName(found: string, part: string): boolean {
  const first = String.fromCodePoint(found.codePointAt(0) ?? 0);
  const upper = first.toUpperCase();
  const lower = first.toLowerCase();
  if (first === upper && first !== lower) return true;
  return found === part && (upper === lower || part !== part.toLowerCase());
}

/** Nothing but punctuation and spaces after it to the end of its line: a sign-off ("cheers, john"). */
const REST_OF_LINE_EMPTY = /[\s.,;:!?)\]'"’”…—–-]*?(?:\n|$)/y;
function endsItsLine(text: string, end: number): boolean {
  REST_OF_LINE_EMPTY.lastIndex = end;
  return REST_OF_LINE_EMPTY.test(text);
}

const accepts = (piece: Piece, text: string, start: number, end: number) =>
  (!piece.wholeWords || standsAlone(text, start, end)) && (piece.asName === undefined || writtenAsName(text.slice(start, end), piece.asName) || endsItsLine(text, end));

/**
 * Replaces a sender's own identity (or several people's: a ticket's requester and whoever
 * else commented on it) in what they wrote — full name, each part of it, email,
 * phone number in any punctuation, other names such as a Slack display name — with their
 * alias, and their company with "(company)", so a signature or an "I'm Ann from IT" does
 * not undo the aliasing. Whole words only, ignoring case — except a single part of a longer
 * name, replaced only where it is written as a name ("Will", "WILL", not "will") or signs a
 * line off ("cheers, will"); one pass, so
 * what is put in is never matched again.
 */
export function scrubIdentity(text: string, who: Identity | readonly Identity[], alias: string): string {
  const people = Array.isArray(who) ? (who as readonly Identity[]) : [who as Identity];
  const pieces: Piece[] = [];
  const wholes: string[] = [];
  const parts: string[] = [];
  for (const person of people) {
    if (person.email) pieces.push({ source: escapeRegExp(person.email), wholeWords: false, company: false });
    const company = person.company?.trim();
    // Before names, so that a company named like a part of a person's name reads as one.
    if (company && company.length >= 2) pieces.push({ source: literal(company), wholeWords: true, company: true });
    const digits = person.phone?.replace(/\D/g, '') ?? '';
    if (digits.length >= 6) pieces.push({ source: phonePattern(digits), wholeWords: false, company: false });
    const name = person.name?.trim();
    wholes.push(...[name, ...(person.otherNames ?? []).map((n) => n.trim())].filter((n): n is string => !!n && n.length >= 2));
    const words = name ? name.split(/\s+/u) : [];
    if (words.length > 1) parts.push(...words.filter((p) => p.length >= 3));
  }
  // Whole names, longest first, before the parts of names, so "Ann Lee" becomes one alias
  // rather than two. A single word that is part of someone's longer name ("Mark" of "Mark
  // Will", also as a display name) could be an ordinary word too, so it is replaced only
  // where written as a name; any other name — one-word names, handles, display names — in
  // any case ("nora here", "ping jsmith").
  const partsOfNames = new Set(parts.map((p) => p.toLowerCase()));
  const names = new Map<string, string>();
  for (const n of [...wholes.sort((a, b) => b.length - a.length), ...parts]) if (!names.has(n.toLowerCase())) names.set(n.toLowerCase(), n);
  for (const [key, n] of names) pieces.push({ source: literal(n), wholeWords: true, company: false, ...(partsOfNames.has(key) && ONE_PLAIN_WORD.test(n) ? { asName: n } : {}) });
  if (pieces.length === 0) return text;

  // Leftmost first; at one position the first piece, in the order above, that matches as
  // whole words where it must — what one alternation with lookarounds would pick.
  const scan = new RegExp(pieces.map((p) => `(${p.source})`).join('|'), 'giu');
  const sticky: (RegExp | undefined)[] = [];
  let out = '';
  let copied = 0;
  for (let m = scan.exec(text); m; m = scan.exec(text)) {
    const start = m.index;
    let first = m.findIndex((group, i) => i > 0 && group !== undefined) - 1;
    let end = start + m[0].length;
    while (first < pieces.length && !accepts(pieces[first]!, text, start, end)) {
      // The piece found here is part of a longer word, or a part of a name written as a
      // plain word: try the pieces after it here.
      end = -1;
      for (first++; first < pieces.length; first++) {
        const re = (sticky[first] ??= new RegExp(pieces[first]!.source, 'iuy'));
        re.lastIndex = start;
        const hit = re.exec(text);
        if (hit) {
          end = start + hit[0].length;
          break;
        }
      }
    }
    if (first >= pieces.length || end < 0) {
      scan.lastIndex = start + 1;
      continue;
    }
    out += text.slice(copied, start) + (pieces[first]!.company ? COMPANY_PLACEHOLDER : alias);
    copied = end;
    scan.lastIndex = end;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

// Spaces of every kind (no-break and thin ones included: \s has them), brackets, dots,
// slashes ("020/7946/0958") and dashes, hyphens and minus signs of every width.
const SEPARATOR = '\\s()./\\u2010-\\u2015\\u2212-';
const SEP = `[${SEPARATOR}]{0,3}`;

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
  return `(?<!\\d)(?:\\+?[\\d(][\\d${SEPARATOR}]{0,7}?)?${optional}${[...required].join(SEP)}(?!\\d)`;
}
