import { describe, expect, it } from 'vitest';
import { contactChanges, FORMER_VALUES_KEPT, type StoredContact } from '../../src/domain/customers/rules.ts';
import { identitiesOf } from '../../src/domain/relay/identity.ts';
import { scrubIdentity } from '../../src/domain/relay/scrub-identity.ts';

const stored = (over: Partial<StoredContact> = {}): StoredContact => ({
  name: 'Cathy Q',
  email: 'cathy@customer.example',
  phone: '+44 20 7946 0958',
  company: 'Contoso',
  slackNames: null,
  formerIdentity: null,
  slackUserId: null,
  zendeskUserId: null,
  ...over,
});

describe('contactChanges', () => {
  it('takes the newest values and keeps the ones they replace', () => {
    expect(contactChanges(stored(), { name: 'Catherine Quinlan', email: 'Catherine@New.example', phone: '+1 415 555 0199', company: 'Fabrikam' })).toEqual({
      name: 'Catherine Quinlan',
      email: 'catherine@new.example',
      phone: '+1 415 555 0199',
      company: 'Fabrikam',
      formerIdentity: JSON.stringify({ names: ['Cathy Q'], emails: ['cathy@customer.example'], phones: ['+44 20 7946 0958'], companies: ['Contoso'] }),
    });
  });

  it('changes nothing for the same values, erases nothing for blank ones, and keeps no duplicate of a value written differently', () => {
    expect(contactChanges(stored(), { name: 'Cathy Q', email: ' CATHY@customer.example', phone: null, company: '' })).toEqual({});
    expect(contactChanges(stored(), { name: 'cathy q', phone: '+442079460958' })).toEqual({ name: 'cathy q', phone: '+442079460958' });
    const former = JSON.stringify({ names: ['Catherine Quinlan'] });
    expect(contactChanges(stored({ formerIdentity: former }), { name: 'Catherine Quinlan' })).toEqual({ name: 'Catherine Quinlan', formerIdentity: JSON.stringify({ names: ['Catherine Quinlan', 'Cathy Q'] }) });
  });

  it('from an unverified source (the widget), only fills in what is unknown and adds the rest to scrub', () => {
    expect(contactChanges(stored({ phone: null }), { name: 'Mallory Impostor', phone: '+1 202 555 0100', company: 'Contoso' }, false)).toEqual({
      phone: '+1 202 555 0100',
      formerIdentity: JSON.stringify({ names: ['Mallory Impostor'] }),
    });
  });

  it('keeps at most the newest FORMER_VALUES_KEPT earlier values of each kind', () => {
    let current = stored();
    for (let i = 0; i < FORMER_VALUES_KEPT + 5; i++) current = { ...current, ...contactChanges(current, { name: `Name ${i}` }, false) };
    const names = (JSON.parse(current.formerIdentity!) as { names: string[] }).names;
    expect(names).toHaveLength(FORMER_VALUES_KEPT);
    expect(names.at(-1)).toBe(`Name ${FORMER_VALUES_KEPT + 4}`);
    expect(current.name).toBe('Cathy Q');
  });

  it('keeps Slack names they no longer go by, and fills in source ids only where none is known', () => {
    const changes = contactChanges(stored({ slackNames: JSON.stringify(['CQ', 'cathy.q']), zendeskUserId: '7' }), { slackNames: ['Cat', 'cathy.q'], slackUserId: 'U1', zendeskUserId: '8' });
    expect(changes).toEqual({ slackNames: JSON.stringify(['Cat', 'cathy.q']), slackUserId: 'U1', formerIdentity: JSON.stringify({ slackNames: ['CQ'] }) });
  });

  it('gives an identity that scrubs who they are and who they were', () => {
    const now = { ...stored(), ...contactChanges(stored({ slackNames: JSON.stringify(['CQ']) }), { name: 'Catherine Quinlan', phone: '+1 415 555 0199', company: 'Fabrikam', slackNames: ['Cat Q'] }) };
    expect(scrubIdentity('Catherine Quinlan (Fabrikam, was Contoso), 415 555 0199 / 020 7946 0958 — Cathy Q, CQ, Cat Q', identitiesOf(now), 'X')).toBe('X ((company), was (company)), X / X — X, X, X');
  });
});
