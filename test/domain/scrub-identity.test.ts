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
    // (?<![\p{L}\p{N}]) and (?![\p{L}\p{N}]).
    const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const word = (p: string) => `(?<![\\p{L}\\p{N}])${escape(p).replace(/\s+/g, '\\s+')}(?![\\p{L}\\p{N}])`;
    const reference = (text: string, who: { name: string; email: string; company: string }, alias: string) => {
      const parts = who.name.split(/\s+/u).filter((p) => p.length >= 3);
      const alternatives = [escape(who.email), `(?<company>${word(who.company)})`, ...[...new Set([who.name, ...parts])].map(word)];
      return text.replace(new RegExp(alternatives.join('|'), 'giu'), (...args: unknown[]) => ((args.at(-1) as { company?: string }).company !== undefined ? '(company)' : alias));
    };
    const who = { name: 'Zoë Ann Lee', email: 'zoe@lee.example', company: 'Leeway' };
    const bits = ['Zoë', 'zoë', 'Ann', 'ann', 'Lee', 'LEE', 'Leeway', 'leeways', 'Zoë Ann Lee', 'Zoë  Ann\nLee', 'zoe@lee.example', 'x', 'é', '1', ' ', ' ', '-', '.', '😀', 'Anne', 'Leeds', 'ع'];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % bits.length;
    for (let i = 0; i < 500; i++) {
      const text = Array.from({ length: 12 }, () => bits[next()]).join('');
      expect(scrubIdentity(text, who, 'X'), text).toBe(reference(text, who, 'X'));
    }
  });
});
