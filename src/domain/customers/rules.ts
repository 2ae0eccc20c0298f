import type { TicketCustomer } from '../../db/repositories/tickets.ts';
import { toPlainText } from '../../lib/plain-text.ts';
import { parseFormerIdentity, parseSlackNames, storeFormerIdentity, storeSlackNames } from '../relay/identity.ts';

/**
 * An email address as Helpnet stores and matches it: trimmed and in lower case. Sources
 * differ (the widget lower-cases, Zendesk keeps what the person typed) and so do the
 * engines (MariaDB compares ignoring case, SQLite does not): one form on the way in makes
 * one person one customer everywhere. Blank is none.
 */
export function normaliseEmail(email: string | null | undefined): string | null {
  const trimmed = email?.trim().toLowerCase();
  return trimmed ? trimmed : null;
}

/** The most a customer's name, email, phone and company can hold (as their columns). */
export const CONTACT_LIMITS = { name: 200, email: 320, phone: 64, company: 200 } as const;

const clip = (value: string | null | undefined, max: number) => {
  if (value === null || value === undefined) return value;
  const chars = [...toPlainText(value).trim()];
  return chars.length > max ? chars.slice(0, max).join('').trim() : chars.join('');
};

/**
 * A contact as it can be kept: plain text, a name, phone or company longer than anyone's
 * cut to fit, an email too long to be anyone's dropped. A source (Zendesk, Slack) may say
 * anything; filing the ticket must not fail on it.
 */
export function fitContact(given: ContactUpdate): ContactUpdate {
  const email = normaliseEmail(given.email === undefined || given.email === null ? given.email : toPlainText(given.email));
  return {
    ...given,
    name: clip(given.name, CONTACT_LIMITS.name),
    email: email && [...email].length > CONTACT_LIMITS.email ? null : email,
    phone: clip(given.phone, CONTACT_LIMITS.phone),
    company: clip(given.company, CONTACT_LIMITS.company),
  };
}

/** What a source says about a customer now; what it leaves out (or blank) is not known, not erased. */
export interface ContactUpdate {
  name?: string | null;
  email?: string | null;
  phone?: string | null;
  company?: string | null;
  /** Names they go by in Slack, all of them as Slack describes them now. */
  slackNames?: readonly string[];
  /** Who they are at a source: filled in when not known yet, never replaced (they are how a customer is found). */
  slackUserId?: string | null;
  zendeskUserId?: string | null;
}

/** A customer's contact as stored (slackNames and formerIdentity as JSON), with who they are at each source. */
export interface StoredContact extends TicketCustomer {
  slackUserId: string | null;
  zendeskUserId: string | null;
}

/** The most earlier values kept of each kind (the newest): enough for anyone's changes, bounded against anyone's flood. */
export const FORMER_VALUES_KEPT = 20;

const sameText = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const samePhone = (a: string, b: string) => a.replace(/\D/g, '') === b.replace(/\D/g, '');

/**
 * The changes that bring a customer's contact up to date. From a source that vouches for
 * who wrote (`verified`: Zendesk's requester, a Slack user) each value given replaces the
 * one stored — the newest is what a shared-contact thread should show — and a value it
 * replaces is kept in the former identity, to be scrubbed, unless it is the same but for
 * case or punctuation. From one that does not (the widget: anyone can type anyone's email)
 * a value only fills in what is not known; one that differs goes into the former identity,
 * so that it is still scrubbed from what that submission's writer sends, but replaces
 * nothing. Empty when nothing changes.
 */
export function contactChanges(current: StoredContact, said: ContactUpdate, verified = true): Partial<StoredContact> {
  const given = fitContact(said);
  const former = parseFormerIdentity(current.formerIdentity);
  const changes: Partial<StoredContact> = {};
  let formerChanged = false;
  const keep = (list: string[], old: string, same: (a: string, b: string) => boolean) => {
    if (list.some((v) => same(v, old))) return;
    list.push(old);
    if (list.length > FORMER_VALUES_KEPT) list.splice(0, list.length - FORMER_VALUES_KEPT);
    formerChanged = true;
  };
  const fields = [
    ['name', given.name?.trim(), former.names, sameText],
    ['email', normaliseEmail(given.email), former.emails, sameText],
    ['phone', given.phone?.trim(), former.phones, samePhone],
    ['company', given.company?.trim(), former.companies, sameText],
  ] as const;
  for (const [field, value, list, same] of fields) {
    const old = current[field];
    if (!value || value === old) continue;
    if (verified || !old) changes[field] = value;
    else if (!same(old, value)) keep(list, value, same);
    if (verified && old && !same(old, value)) keep(list, old, same);
  }
  if (given.slackNames) {
    const stored = storeSlackNames(given.slackNames);
    const names = parseSlackNames(stored);
    if (stored && stored !== current.slackNames) {
      changes.slackNames = stored;
      for (const old of parseSlackNames(current.slackNames)) if (!names.some((n) => sameText(n, old))) keep(former.slackNames, old, sameText);
    }
  }
  if (given.slackUserId && !current.slackUserId) changes.slackUserId = given.slackUserId;
  if (given.zendeskUserId && !current.zendeskUserId) changes.zendeskUserId = given.zendeskUserId;
  if (formerChanged) changes.formerIdentity = storeFormerIdentity(former);
  return changes;
}
