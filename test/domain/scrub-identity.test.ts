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
});
