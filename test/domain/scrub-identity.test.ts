import { describe, expect, it } from 'vitest';
import { scrubIdentity } from '../../src/domain/relay/scrub-identity.ts';

describe('scrubIdentity', () => {
  const who = { name: 'Ann-Marie Lee Fox', email: 'Ann.Lee@corp.example', phone: '+1 (555) 010-2345' };

  it('replaces the full name, its parts, the email and the phone in any grouping', () => {
    expect(scrubIdentity('Hi, Ann-Marie Lee Fox here (ann.lee@corp.example, 555 010 2345). Call +1-555-010-2345. — Fox', who, 'Amber Falcon')).toBe(
      'Hi, Amber Falcon here (Amber Falcon, Amber Falcon). Call Amber Falcon. — Amber Falcon',
    );
  });

  it('leaves words that only contain a name part, and short parts, alone', () => {
    expect(scrubIdentity('Foxes are quick; Lee said so', who, 'X')).toBe('Foxes are quick; X said so');
    expect(scrubIdentity('Al is here, Al Bo too', { name: 'Al Bo' }, 'X')).toBe('Al is here, X too');
  });

  it('never re-replaces inside the alias it put in', () => {
    expect(scrubIdentity('I am Fox', { name: 'Fox' }, 'Swift Fox')).toBe('I am Swift Fox');
  });

  it('leaves other numbers and text without an identity unchanged', () => {
    expect(scrubIdentity('Error 0x80004005 on port 443', who, 'X')).toBe('Error 0x80004005 on port 443');
    expect(scrubIdentity('anything', {}, 'X')).toBe('anything');
  });

  it('replaces other names (a Slack display name, a handle) whole, the longest first, never word by word', () => {
    const known = { name: 'Ann Lee', otherNames: ['The Fixer', 'The Fixer (IT)', 'ann.l'] };
    expect(scrubIdentity('The fix: done. — The Fixer (IT), aka ann.l / Ann', known, 'X')).toBe('The fix: done. — X, aka X / X');
    expect(scrubIdentity('The Fixer says hi', known, 'X')).toBe('X says hi');
  });

  it('replaces the company with "(company)", and a phone number written without its country or area code', () => {
    const customer = { name: 'Nora Limit', email: 'nora@contoso.com', phone: '+44 20 7946 0958', company: 'Contoso' };
    expect(scrubIdentity('Nora at Contoso (nora@contoso.com), 07946 0958 or 020 7946 0958 or +44 (0)20 7946-0958', customer, 'X')).toBe(
      'X at (company) (X), X or X or X',
    );
    expect(scrubIdentity('Order 7946095 and 1234567', customer, 'X')).toBe('Order 7946095 and 1234567');
  });

  it('takes a later piece where the first one found is part of a longer word', () => {
    expect(scrubIdentity('Ann Leeds called; Ann Lee too', { name: 'Ann Lee' }, 'X')).toBe('X Leeds called; X too');
    expect(scrubIdentity('ÉmileAnn Lee', { name: 'Ann Lee' }, 'X')).toBe('ÉmileAnn X');
    expect(scrubIdentity('Contosoft and Contoso', { name: 'Nora Limit', company: 'Contoso' }, 'X')).toBe('Contosoft and (company)');
  });

  it('replaces exactly what one alternation with Unicode lookarounds would', () => {
    // The rule as first written: one regular expression, each whole-word piece between
    // (?<![\p{L}\p{N}]) and (?![\p{L}\p{N}]); a part of the name only where it has an
    // initial capital (every letter in these bits has case) or at the end of its line, else
    // left as it is.
    const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const word = (p: string) => `(?<![\\p{L}\\p{N}])${escape(p).replace(/\s+/g, '\\s+')}(?![\\p{L}\\p{N}])`;
    const reference = (text: string, who: { name: string; email: string; company: string }, alias: string) => {
      const parts = [...new Set(who.name.split(/\s+/u).filter((p) => p.length >= 3))];
      const alternatives = [escape(who.email), `(?<company>${word(who.company)})`, word(who.name), `(?<![\\p{L}\\p{N}])(?<part>${parts.map(escape).join('|')})(?![\\p{L}\\p{N}])`];
      return text.replace(new RegExp(alternatives.join('|'), 'giu'), (...args: unknown[]) => {
        const groups = args.at(-1) as { company?: string; part?: string };
        const [found, offset, whole] = [args[0] as string, args.at(-3) as number, args.at(-2) as string];
        if (groups.company !== undefined) return '(company)';
        const endsLine = /^[\s.,;:!?)\]'"’”…—–-]*?(?:\n|$)/.test(whole.slice(offset + found.length));
        if (groups.part !== undefined && !/^\p{Lu}/u.test(groups.part) && !endsLine) return groups.part;
        return alias;
      });
    };
    const who = { name: 'Zoë Ann Lee', email: 'zoe@lee.example', company: 'Leeway' };
    const bits = ['Zoë', 'zoë', 'ZOË', 'Ann', 'ann', 'Lee', 'LEE', 'lee', 'Leeway', 'leeways', 'Zoë Ann Lee', 'Zoë  Ann\nLee', 'zoë ann lee', 'zoe@lee.example', 'x', 'é', '1', ' ', ' ', '-', '.', '😀', 'Anne', 'Leeds', 'ع'];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % bits.length;
    for (let i = 0; i < 500; i++) {
      const text = Array.from({ length: 12 }, () => bits[next()]).join('');
      expect(scrubIdentity(text, who, 'X'), text).toBe(reference(text, who, 'X'));
    }
  });

  it('replaces a single part of a name only where it is written as a name, the whole name in any case', () => {
    const mark = { name: 'Mark Will' };
    expect(scrubIdentity('please mark the box and I will check', mark, 'Swift Otter')).toBe('please mark the box and I will check');
    expect(scrubIdentity('Thanks, Mark. WILL call back. — mark will', mark, 'Swift Otter')).toBe('Thanks, Swift Otter. Swift Otter call back. — Swift Otter');
    // A one-word display name is such a word too; a handle with punctuation is no ordinary word, so it goes in any case.
    const slack = { name: 'Mark Will', otherNames: ['Mark', 'mark.will'] };
    expect(scrubIdentity('mark it done, Mark (MARK.WILL)', slack, 'X')).toBe('mark it done, X (X)');
    // A lower-case particle is a plain word where it is written as one.
    expect(scrubIdentity('a van came for Anna van Dijk; Van Dijk and DIJK', { name: 'Anna van Dijk' }, 'X')).toBe('a van came for X; X X and X');
    // A name that is not part of a longer one — a one-word name, a handle — goes in any case.
    expect(scrubIdentity('hi, nora here. ping jsmith or NORA', { name: 'Nora', otherNames: ['jsmith'] }, 'X')).toBe('hi, X here. ping X or X');
    expect(scrubIdentity('see marky', { name: 'John Smith', otherNames: ['john', 'Marky'] }, 'X')).toBe('see X');
    // A part of a name in lower case still goes where it signs a line off.
    expect(scrubIdentity('I will check.\ncheers, will\nmark it - mark.', mark, 'X')).toBe('I will check.\ncheers, X\nmark it - X.');
    // In a script without case, as written.
    expect(scrubIdentity('شكرا، محمد علي — علي', { name: 'محمد علي' }, 'X')).toBe('شكرا، X — X');
  });

  it('finds phone numbers written with slashes, dashes of any width, and no-break or thin spaces', () => {
    const who = { name: 'Nora Limit', phone: '+44 20 7946 0958' };
    for (const written of ['020/7946/0958', '020–7946–0958', '020—7946—0958', '+44\u00a020\u00a07946\u00a00958', '020\u20097946\u20090958', '020\u202f7946\u202f0958', '+44 (0)20 7946\u20110958', '+44/20/7946/0958', '020 − 7946 − 0958']) {
      expect(scrubIdentity(`call ${written} today`, who, 'X'), written).toBe('call X today');
    }
    expect(scrubIdentity('build 2024/07/01 at 20:79', who, 'X')).toBe('build 2024/07/01 at 20:79');
  });
});
