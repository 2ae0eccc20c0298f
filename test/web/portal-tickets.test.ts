import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CustomerAccount, Ticket, TicketMessage } from '../../src/db/models/index.ts';
import { slackPeople } from '../relay/support.ts';
import { createQualifiedExpert } from '../support/experts.ts';
import { TEST_ENGINE } from '../support/test-database.ts';
import { waitFor } from '../support/wait-for.ts';
import { usePortalApp } from '../support/portal-app.ts';

const TIMEOUT = 90_000;
const PASSWORD = 'correct horse battery';

/** What a page answered. */
interface Answer {
  status: number;
  headers: Headers;
  html: string;
  location: string | null;
}

/**
 * One browser: keeps the cookies the server sets, follows nothing by itself, has its own
 * client address (the server trusts loopback proxies' X-Forwarded-For).
 */
class Browser {
  readonly cookies = new Map<string, string>();
  readonly address = `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
  constructor(private readonly base: () => string) {}

  async request(method: 'GET' | 'POST', path: string, form?: Record<string, string>, extra: Record<string, string> = {}): Promise<Answer> {
    const headers: Record<string, string> = { 'x-forwarded-for': this.address, ...extra };
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await fetch(`${this.base()}${path}`, { method, headers, body: form ? new URLSearchParams(form).toString() : undefined, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return { status: res.status, headers: res.headers, html: await res.text(), location: res.headers.get('location') };
  }

  get(path: string): Promise<Answer> {
    return this.request('GET', path);
  }

  /** Opens the form's page first (for its CSRF token and submission id), then posts the fields with them. */
  async submit(formPath: string, action: string, fields: Record<string, string>, extra: Record<string, string> = {}): Promise<Answer> {
    const page = await this.get(formPath);
    return this.request('POST', action, { ...hiddenFieldsOf(page.html, action), ...fields }, extra);
  }
}

const unescape = (s: string) => s.replace(/&#x3D;/g, '=').replace(/&#x27;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#x60;/g, '`').replace(/&amp;/g, '&');

/** The hidden fields (CSRF token, submission id) of the form posting to `action`. */
function hiddenFieldsOf(html: string, action: string): Record<string, string> {
  const start = html.indexOf(`action="${action}"`);
  if (start < 0) throw new Error(`no form posting to ${action} on the page:\n${html}`);
  const form = html.slice(start, html.indexOf('</form>', start));
  return Object.fromEntries([...form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1]!, unescape(m[2]!)]));
}

const textareaOf = (html: string, id: string) => {
  const m = new RegExp(`<textarea id="${id}"[^>]*>([\\s\\S]*?)</textarea>`).exec(html);
  return m ? unescape(m[1]!) : undefined;
};
const messageTexts = (html: string) => [...html.matchAll(/<li class="message from-[a-z]+" data-id="\d+">[\s\S]*?<p class="message-text">([\s\S]*?)<\/p>/g)].map((m) => unescape(m[1]!));

/** A page without what differs from one request to the next. */
const shape = (html: string) => html.replace(/name="_csrf" value="[^"]+"/g, 'name="_csrf" value=""');

const expectPageHeaders = (page: Answer, opts: { script: boolean }) => {
  const csp = page.headers.get('content-security-policy') ?? '';
  expect(csp).toContain("default-src 'none'");
  expect(csp).toContain("style-src 'self'");
  expect(csp).toContain("img-src 'self'");
  expect(csp).toContain("form-action 'self'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("base-uri 'none'");
  expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
  if (opts.script) {
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
  } else {
    expect(csp).not.toMatch(/script-src|connect-src/);
  }
  expect(page.headers.get('x-content-type-options')).toBe('nosniff');
  expect(page.headers.get('x-frame-options')).toBe('DENY');
  expect(page.headers.get('referrer-policy')).toBe('no-referrer');
  expect(page.headers.get('cache-control')).toBe('no-store');
  if (page.status !== 303) {
    expect(page.html).not.toMatch(/\sstyle=|<style|\son[a-z]+=/i);
    // The one script a page may have is the ticket page's own file.
    expect(page.html.replace('<script src="/ticket-page.js" defer></script>', '')).not.toMatch(/<script/i);
    expect(page.html).toMatch(/<title>[^<]+ · Helpnet<\/title>/);
  }
};

describe(`portal ticket pages on ${TEST_ENGINE}`, () => {
  const portal = usePortalApp();

  const browser = () => new Browser(() => portal.app.url);

  /** A new account, signed in (and its email confirmed with `confirm`). */
  async function customer(opts: { confirm?: boolean; firstName?: string } = {}) {
    const b = browser();
    const email = `tina.${randomUUID().slice(0, 8)}@customer.example`;
    const form = { firstName: opts.firstName ?? 'Tina', lastName: 'Tickets', company: 'Tickets Ltd', email, address: '1 Quay', city: 'Bristol', state: '', zip: 'BS1', country: 'United Kingdom', heardFrom: '', password: PASSWORD, passwordAgain: PASSWORD };
    expect((await b.submit('/signup', '/signup', form)).status).toBe(200);
    if (opts.confirm) {
      const mail = await waitFor(() => portal.smtp.mails.find((m) => m.to.includes(email) && m.subject.includes('Confirm')), 'the confirmation email', 30_000);
      const link = /http:\/\/helpnet\.test(\/confirm\/[A-Za-z0-9_-]{43})/.exec(mail.text)![1]!;
      expect((await b.get(link)).status).toBe(200);
    }
    const login = await b.submit('/login', '/login', { email, password: PASSWORD });
    expect(login.status).toBe(303);
    expect(login.location).toBe('/tickets');
    const account = await CustomerAccount.findOne({ where: { email }, rejectOnEmpty: true });
    return { b, email, account };
  }

  async function file(b: Browser, description = 'Outlook asks for my password every hour.', category = 'ms-exchange') {
    const page = await b.submit('/tickets/new', '/tickets/new', { category, description });
    expect(page.status).toBe(303);
    expect(page.location).toMatch(/^\/tickets\/HN-\d+$/);
    const publicId = page.location!.slice('/tickets/'.length);
    return { publicId, id: Number(publicId.slice(3)), path: page.location! };
  }

  const cardOf = (ticketId: number) => portal.app.slack.messages.find((m) => m.channel === 'C0EXCH001' && !m.thread_ts && JSON.stringify(m.blocks ?? '').includes(`*HN-${ticketId}*`));

  it('sends a visitor who is not signed in to the login page; the JSON says signed out', { timeout: TIMEOUT }, async () => {
    const b = browser();
    for (const path of ['/tickets', '/tickets/new', '/tickets/HN-1', '/tickets/HN-1/cancel']) {
      const page = await b.get(path);
      expect(page.status, path).toBe(303);
      expect(page.location).toBe('/login');
    }
    const json = await b.get('/tickets/HN-1/messages.json');
    expect(json.status).toBe(401);
    expect(JSON.parse(json.html)).toMatchObject({ error: 'signed_out' });
  });

  it('lists only the customer’s own tickets, open ones and the history, with their name, city and email; the header links to them', { timeout: TIMEOUT }, async () => {
    const mine = await customer();
    const theirs = await customer({ firstName: 'Other' });
    const empty = await mine.b.get('/tickets');
    expect(empty.status).toBe(200);
    expectPageHeaders(empty, { script: false });
    expect(empty.html).toContain('You have no open tickets.');
    expect(empty.html).toContain('<a class="button" href="/tickets/new">File a new ticket</a>');
    expect(empty.html).toContain('<a href="/tickets">Your tickets</a>');
    for (const fact of ['Tina Tickets', 'Bristol', mine.email]) expect(empty.html).toContain(fact);

    const a = await file(mine.b, 'My calendar does not sync to my phone.');
    const b = await file(mine.b, 'Mail to one partner bounces.', 'windows-nt');
    const other = await file(theirs.b, 'Somebody else’s problem entirely.');
    const list = await mine.b.get('/tickets');
    expect(list.html).toContain(`href="/tickets/${a.publicId}"`);
    expect(list.html).toContain(`href="/tickets/${b.publicId}"`);
    expect(list.html).not.toContain(`/tickets/${other.publicId}"`);
    expect(list.html).not.toContain('Somebody else');
    // Newest first in the history, each with its status in words.
    expect(list.html.indexOf(`<a href="/tickets/${b.publicId}">`)).toBeLessThan(list.html.indexOf(`<a href="/tickets/${a.publicId}">`));
    expect(list.html).toContain('Waiting for an expert to take it');
    const ticket = await Ticket.findByPk(a.id, { rejectOnEmpty: true });
    expect(ticket).toMatchObject({ source: 'portal', customerId: mine.account.customerId, description: 'My calendar does not sync to my phone.' });
  });

  it('keeps what was typed on the new-ticket form and marks each bad field; a summary links to them', { timeout: TIMEOUT }, async () => {
    const { b, account } = await customer();
    const before = await Ticket.count({ where: { customerId: account.customerId } });
    const form = await b.get('/tickets/new');
    expect(form.status).toBe(200);
    expectPageHeaders(form, { script: false });
    expect(form.html).toContain('<label class="question-label" for="f-category">');
    expect(form.html).toContain('<label class="question-label" for="f-description">');
    expect(form.html).toContain('<option value="ms-exchange">MS Exchange</option>');

    const cases: [Record<string, string>, Record<string, RegExp>][] = [
      [{ category: '', description: 'short' }, { category: /Choose the category/, description: /at least 10 characters/ }],
      [{ category: 'fax-machines', description: 'A perfectly good description.' }, { category: /one of the categories/ }],
      [{ category: 'ms-exchange', description: 'x'.repeat(4001) }, { description: /under 4000 characters/ }],
      [{ category: 'ms-exchange', description: '\u0000'.repeat(12) }, { description: /at least 10 characters/ }],
    ];
    for (const [fields, errors] of cases) {
      const page = await b.submit('/tickets/new', '/tickets/new', fields);
      expect(page.status).toBe(400);
      expect(page.html).toMatch(/<title>Error: File a new ticket · Helpnet<\/title>/);
      for (const [field, message] of Object.entries(errors)) {
        expect(page.html).toMatch(new RegExp(`<a href="#f-${field}">[^<]*${message.source}`));
        expect(page.html).toMatch(new RegExp(`id="f-${field}"[^>]*aria-invalid="true"`));
      }
      expect(textareaOf(page.html, 'f-description')).toBe(fields.description!.replaceAll('\u0000', ''));
      if (fields.category === 'ms-exchange') expect(page.html).toContain('<option value="ms-exchange" selected>');
    }
    expect(await Ticket.count({ where: { customerId: account.customerId } })).toBe(before);
  });

  it('refuses a form with a wrong CSRF token (403, nothing filed, sent or withdrawn); the same form sent twice files one ticket', { timeout: TIMEOUT }, async () => {
    const { b, account } = await customer();
    const t = await file(b);
    const count = () => Ticket.count({ where: { customerId: account.customerId } });
    expect(await count()).toBe(1);
    const other = await customer();
    const foreign = hiddenFieldsOf((await other.b.get('/tickets/new')).html, '/tickets/new')._csrf!;
    for (const token of [undefined, 'x'.repeat(43), foreign]) {
      const filed = await b.request('POST', '/tickets/new', { category: 'ms-exchange', description: 'A new problem entirely.', ...(token ? { _csrf: token } : {}) });
      expect(filed.status).toBe(403);
      expect(filed.html).toContain('This form has expired');
      expect((await b.request('POST', `${t.path}/messages`, { text: 'hello', ...(token ? { _csrf: token } : {}) })).status).toBe(403);
      expect((await b.request('POST', `${t.path}/cancel`, token ? { _csrf: token } : {})).status).toBe(403);
    }
    expect(await count()).toBe(1);
    expect(await TicketMessage.count({ where: { ticketId: t.id } })).toBe(0);
    expect((await Ticket.findByPk(t.id, { rejectOnEmpty: true })).status).toBe('dispatched');

    // A double click: the same form (same submission id) twice → one ticket, both answers lead to it.
    const fields = { ...hiddenFieldsOf((await b.get('/tickets/new')).html, '/tickets/new'), category: 'ms-exchange', description: 'Sent twice by a double click.' };
    const first = await b.request('POST', '/tickets/new', fields);
    const second = await b.request('POST', '/tickets/new', fields);
    expect(first.status).toBe(303);
    expect(second.location).toBe(first.location);
    expect(await count()).toBe(2);
  });

  it('limits filing to 5 tickets in 10 minutes per account: the sixth form comes back with what was typed and how long to wait', { timeout: TIMEOUT }, async () => {
    const { b, account } = await customer();
    for (let i = 0; i < 5; i++) await file(b, `Problem number ${i + 1} of a busy morning.`);
    const limited = await b.submit('/tickets/new', '/tickets/new', { category: 'windows-nt', description: 'The sixth problem, kept for later.' });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.html).toMatch(/Please wait \d+ minutes? and send this form again/);
    expect(textareaOf(limited.html, 'f-description')).toBe('The sixth problem, kept for later.');
    expect(limited.html).toContain('<option value="windows-nt" selected>');
    expect(await Ticket.count({ where: { customerId: account.customerId } })).toBe(5);
    // Another account is not held back.
    await file((await customer()).b);
  });

  it('answers someone else’s ticket, an unknown one and a malformed id with the same 404 page; the JSON the same way', { timeout: TIMEOUT }, async () => {
    const owner = await customer();
    const t = await file(owner.b);
    const { b } = await customer();
    const pages = await Promise.all([t.publicId, 'HN-999999999', 'HN-abc', 'HN-1x', '%E0%A4%A', 'HN-99999999999999999999'].map((id) => b.get(`/tickets/${id}`)));
    for (const page of pages) {
      expect(page.status).toBe(404);
      expect(shape(page.html)).toBe(shape(pages[0]!.html));
    }
    expect(pages[0]!.html).toContain('Ticket not found');
    expect(pages[0]!.html).not.toContain(t.publicId);
    for (const sub of ['cancel']) expect((await b.get(`/tickets/${t.publicId}/${sub}`)).status).toBe(404);
    const csrf = hiddenFieldsOf((await b.get('/tickets/new')).html, '/tickets/new')._csrf!;
    expect((await b.request('POST', `/tickets/${t.publicId}/messages`, { _csrf: csrf, text: 'Let me in' })).status).toBe(404);
    expect((await b.request('POST', `/tickets/${t.publicId}/cancel`, { _csrf: csrf })).status).toBe(404);
    expect(await TicketMessage.count({ where: { ticketId: t.id } })).toBe(0);
    expect((await Ticket.findByPk(t.id, { rejectOnEmpty: true })).status).toBe('dispatched');

    const json = await Promise.all([t.publicId, 'HN-999999999', 'nonsense'].map((id) => b.get(`/tickets/${id}/messages.json`)));
    for (const answer of json) {
      expect(answer.status).toBe(404);
      expect(answer.html).toBe(json[0]!.html);
    }
    expect((await owner.b.get(`/tickets/${t.publicId}/messages.json`)).status).toBe(200);
  });

  it('shows the conversation as it goes: the expert’s alias and reply, the customer’s answer (form and script), the JSON from a cursor; emails point at the page', { timeout: TIMEOUT }, async () => {
    const { b, email } = await customer({ confirm: true });
    const t = await file(b, 'Outlook cannot find the address book.');
    const page = await b.get(t.path);
    expect(page.status).toBe(200);
    expectPageHeaders(page, { script: true });
    expect(page.html).toContain('<script src="/ticket-page.js" defer></script>');
    expect(page.html).toContain('aria-live="polite"');
    expect(page.html).toContain('Waiting for an expert to take it');
    expect(page.html).toContain('Outlook cannot find the address book.');
    expect(page.html).toContain('<label class="question-label" for="reply-text">Your message</label>');
    const script = await fetch(`${portal.app.url}/ticket-page.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await script.text()).toContain('messages.json?after=');

    // Written before an expert has it: kept for them, shown at once.
    const early = await b.submit(t.path, `${t.path}/messages`, { text: 'It started after the update.' });
    expect(early.status).toBe(303);
    expect(early.location).toBe(`${t.path}?sent=1#conversation`);
    expect(messageTexts((await b.get(t.path)).html)).toEqual(['It started after the update.']);
    const stored = await TicketMessage.findOne({ where: { ticketId: t.id }, rejectOnEmpty: true });
    expect(stored.via).toBe('portal');

    // An expert books it and replies in Slack.
    const people = slackPeople(portal.app);
    const expert = await createQualifiedExpert('exchange-l1', 'ms-exchange');
    await people.book(expert, t.id);
    const thread = await people.expertThread(expert, t.id);
    await waitFor(() => people.replies(thread).some((m) => JSON.stringify(m).includes('It started after the update.')), 'the early message in the thread', 30_000);
    await people.dm(expert.slackUserId!, 'Please restart Outlook in safe mode.', { threadTs: thread.ts });
    const booked = await waitFor(async () => {
      const p = await b.get(t.path);
      return messageTexts(p.html).includes('Please restart Outlook in safe mode.') ? p : undefined;
    }, 'the reply on the page', 30_000);
    expect(booked.html).toContain('An expert is working on it');
    expect(booked.html).toMatch(/<dd id="ticket-expert" aria-live="polite">Expert [A-Z][a-z]+ [A-Z][a-z]+<\/dd>/);
    expect(booked.html).not.toContain('/cancel');

    // The JSON, from the start and then from its cursor.
    const all = JSON.parse((await b.get(`${t.path}/messages.json`)).html) as { status: string; expert: string; cursor: number; messages: { id: number; from: string; text: string }[]; canReply: boolean; canCancel: boolean };
    expect(all).toMatchObject({ status: 'booked', canReply: true, canCancel: false });
    expect(all.expert).toMatch(/^Expert /);
    expect(all.messages.map((m) => [m.from, m.text])).toEqual(expect.arrayContaining([['you', 'It started after the update.'], ['expert', 'Please restart Outlook in safe mode.']]));
    const later = JSON.parse((await b.get(`${t.path}/messages.json?after=${all.messages.at(-1)!.id}`)).html) as { messages: unknown[] };
    expect(later.messages).toEqual([]);

    // The script's way: the same form, JSON back.
    const sent = await b.submit(t.path, `${t.path}/messages`, { text: 'Safe mode works.' }, { accept: 'application/json' });
    expect(sent.status).toBe(201);
    const answer = JSON.parse(sent.html) as { message: { from: string; text: string }; submission: string };
    expect(answer.message).toMatchObject({ from: 'you', text: 'Safe mode works.' });
    expect(answer.submission).toMatch(/^[A-Za-z0-9_-]{22}$/);
    await waitFor(() => people.replies(thread).some((m) => JSON.stringify(m).includes('Safe mode works.')), 'the answer in the thread', 30_000);
    const empty = await b.submit(t.path, `${t.path}/messages`, { text: '   ' }, { accept: 'application/json' });
    expect(empty.status).toBe(400);
    expect(JSON.parse(empty.html)).toMatchObject({ errors: { text: expect.stringMatching(/Write your message/) } });
    const emptyForm = await b.submit(t.path, `${t.path}/messages`, { text: '' });
    expect(emptyForm.status).toBe(400);
    expect(emptyForm.html).toContain('<a href="#reply-text">Write your message before sending it.</a>');

    // The expert's reply by email, pointing at the ticket's page.
    const mail = await waitFor(() => portal.smtp.mails.find((m) => m.to.includes(email) && m.text.includes('Please restart Outlook in safe mode.')), 'the email about the reply', 30_000);
    expect(mail.text).toContain(`open http://helpnet.test/tickets/${t.publicId}`);
    expect(mail.text).not.toContain('help widget');
  });

  it('withdraws an unbooked ticket after a confirm step (the channel card says so); once booked it is refused and nothing changes', { timeout: TIMEOUT }, async () => {
    const { b } = await customer();
    const t = await file(b);
    const card = await waitFor(() => cardOf(t.id), 'the channel post', 30_000);
    const page = await b.get(t.path);
    expect(page.html).toContain(`<a class="button button-secondary" href="${t.path}/cancel">Withdraw this ticket</a>`);
    const confirm = await b.get(`${t.path}/cancel`);
    expect(confirm.status).toBe(200);
    expectPageHeaders(confirm, { script: false });
    expect(confirm.html).toContain(`Yes, withdraw ticket ${t.publicId}`);
    const done = await b.submit(`${t.path}/cancel`, `${t.path}/cancel`, {});
    expect(done.status).toBe(303);
    expect(done.location).toBe(`${t.path}?withdrawn=1`);
    expect((await Ticket.findByPk(t.id, { rejectOnEmpty: true })).status).toBe('cancelled');
    const after = await b.get(done.location!);
    expect(after.html).toContain('You withdrew this ticket.');
    expect(after.html).toContain('Withdrawn by you');
    expect(after.html).not.toContain('id="reply-form"');
    await waitFor(() => JSON.stringify(card.blocks).includes('Withdrawn by the customer'), 'the card updated', 30_000);
    expect(JSON.stringify(card.blocks)).not.toContain('ticket.book');
    // Its confirm page now leads back to the ticket; a late reply is refused.
    expect((await b.get(`${t.path}/cancel`)).location).toBe(t.path);
    const token = hiddenFieldsOf((await b.get('/tickets/new')).html, '/tickets/new')._csrf!;
    expect((await b.request('POST', `${t.path}/messages`, { _csrf: token, text: 'Anyone?' }, { accept: 'application/json' })).status).toBe(409);

    const booked = await file(b);
    const expert = await createQualifiedExpert('exchange-l1', 'ms-exchange');
    await slackPeople(portal.app).book(expert, booked.id);
    await waitFor(async () => (await Ticket.findByPk(booked.id))?.status === 'booked', 'the booking');
    const csrf = hiddenFieldsOf((await b.get('/tickets/new')).html, '/tickets/new')._csrf!;
    const refused = await b.request('POST', `${booked.path}/cancel`, { _csrf: csrf });
    expect(refused.status).toBe(409);
    expect(refused.html).toContain('An expert has already taken this ticket');
    expect((await Ticket.findByPk(booked.id, { rejectOnEmpty: true })).status).toBe('booked');
  });

  it('property: any Unicode (NUL included) in a new ticket and in a reply never fails the server, and is shown escaped as stored', { timeout: 240_000 }, async () => {
    const piece = fc.oneof(fc.constantFrom('\u0000', '<', '>', '&', '"', "'", '`', '=', '\r', '\n', '\u202e', '\ud800', '<script>', '<b>', '{{x}}'), fc.string({ unit: 'binary', minLength: 1, maxLength: 3 }));
    const text = fc.array(piece, { minLength: 1, maxLength: 14 }).map((parts) => parts.join(''));
    const { b, account } = await customer();
    const t = await file(b, 'A ticket to write hostile replies on.');
    await fc.assert(
      fc.asyncProperty(text, text, async (description, reply) => {
        const filed = await b.submit('/tickets/new', '/tickets/new', { category: 'ms-exchange', description });
        expect([303, 400, 429]).toContain(filed.status);
        expect(filed.html).not.toMatch(/<script|<b>|\son[a-z]+=/i);
        if (filed.status === 303) {
          const shown = await b.get(filed.location!);
          expect(shown.html).not.toMatch(/<script(?! src="\/ticket-page\.js" defer><\/script>)|<b>/i);
          const stored = await Ticket.findByPk(Number(filed.location!.slice('/tickets/HN-'.length)), { rejectOnEmpty: true });
          expect(stored.customerId).toBe(account.customerId);
          expect(stored.description).not.toContain('\u0000');
          expect(shown.html).toContain(`<p class="message-text">${escapeLike(stored.description)}</p>`);
        } else {
          expect(textareaOf(filed.html, 'f-description')).not.toContain('\u0000');
        }

        const sent = await b.submit(t.path, `${t.path}/messages`, { text: reply });
        expect([303, 400]).toContain(sent.status);
        const page = sent.status === 303 ? await b.get(t.path) : sent;
        expect(page.html).not.toMatch(/<script(?! src="\/ticket-page\.js" defer><\/script>)|<b>/i);
        if (sent.status === 303) {
          const last = await TicketMessage.findOne({ where: { ticketId: t.id }, order: [['id', 'DESC']], rejectOnEmpty: true });
          expect(messageTexts(page.html).at(-1)).toBe(last.originalBody ?? last.body);
        }
      }),
      { numRuns: 25 },
    );
  });
});

/** Handlebars' escaping, to find a stored text in a page. */
function escapeLike(s: string): string {
  return s.replace(/[&<>"'`=]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;', '`': '&#x60;', '=': '&#x3D;' })[c]!);
}
