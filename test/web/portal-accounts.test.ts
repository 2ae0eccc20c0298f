import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Customer, CustomerAccount, PortalSession, Ticket } from '../../src/db/models/index.ts';
import { hashSessionId } from '../../src/domain/accounts/sessions.ts';
import { toPlainText } from '../../src/lib/plain-text.ts';
import { csrfOf, inputValue as valueOf, pageShape as shape, PortalClient as Browser, type PortalPage as Page } from '../support/portal-client.ts';
import { startTestApp, type TestApp } from '../support/start-test-app.ts';
import { TEST_ENGINE } from '../support/test-database.ts';
import { sleep, waitFor } from '../support/wait-for.ts';
import { usePortalApp } from '../support/portal-app.ts';

const TIMEOUT = 90_000;

const expectSecurityHeaders = (page: Page) => {
  const csp = page.headers.get('content-security-policy') ?? '';
  expect(csp).toContain("default-src 'none'");
  expect(csp).toContain("style-src 'self'");
  expect(csp).toContain("form-action 'self'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|script-src/);
  expect(page.headers.get('x-content-type-options')).toBe('nosniff');
  expect(page.headers.get('x-frame-options')).toBe('DENY');
  expect(page.headers.get('referrer-policy')).toBe('no-referrer');
  expect(page.headers.get('cache-control')).toBe('no-store');
  expect(page.headers.get('x-powered-by')).toBeNull();
  if (page.status !== 303) {
    expect(page.headers.get('content-type')).toMatch(/^text\/html; charset=utf-8/);
    expect(page.html).not.toMatch(/<script|\sstyle=|<style|\son[a-z]+=/i);
    expect(page.html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(page.html).toMatch(/<title>[^<]+ · Helpnet<\/title>/);
    expect(page.html).toContain('<main id="main"');
  }
};

const PASSWORD = 'correct horse battery';

function signupForm(email: string, over: Record<string, string> = {}): Record<string, string> {
  return {
    firstName: 'Dana',
    lastName: 'Okafor',
    company: 'Okafor Dental',
    email,
    address: '12 Harbour Street',
    city: 'Portland',
    state: 'ME',
    zip: '04101',
    country: 'United States',
    heardFrom: 'A friend',
    password: PASSWORD,
    passwordAgain: PASSWORD,
    ...over,
  };
}

const newEmail = () => `dana.${randomUUID().slice(0, 8)}@customer.example`;

describe(`portal accounts on ${TEST_ENGINE}`, () => {
  const portal = usePortalApp();

  const browser = () => new Browser(() => portal.app.url);
  const mailsTo = (email: string) => portal.smtp.mails.filter((m) => m.to.includes(email));

  /** Signs up with a new email; the account row. */
  async function signUp(b: Browser, email = newEmail(), over: Record<string, string> = {}) {
    const page = await b.submit('/signup', '/signup', signupForm(email, over));
    expect(page.status).toBe(200);
    return { page, account: await CustomerAccount.findOne({ where: { email }, rejectOnEmpty: true }), email };
  }

  async function confirmLink(email: string): Promise<string> {
    const mail = await waitFor(() => mailsTo(email).find((m) => m.subject.includes('Confirm')), `the confirmation email to ${email}`, 30_000);
    const link = /http:\/\/helpnet\.test(\/confirm\/[A-Za-z0-9_-]{43})/.exec(mail.text);
    expect(link).not.toBeNull();
    return link![1]!;
  }

  async function logIn(b: Browser, email: string, password = PASSWORD) {
    return b.submit('/login', '/login', { email, password });
  }

  it('shows the home page: the two ways in, how it works, who can join, the FAQ; signed-out navigation', { timeout: TIMEOUT }, async () => {
    const page = await browser().get('/');
    expect(page.status).toBe(200);
    expectSecurityHeaders(page);
    expect(page.html).toContain('<a class="button" href="/signup">I need help</a>');
    expect(page.html).toContain('href="/experts/join">I am an IT expert</a>');
    expect(page.html).toContain('/helpnet join');
    for (const heading of ['How it works', 'Who can join', 'Questions people ask']) expect(page.html).toContain(heading);
    expect(page.html).toContain('<nav class="site-nav" aria-label="Account">');
    expect(page.html).toContain('href="/login">Log in</a>');
    expect(page.html).toContain('href="/signup">Sign up</a>');
    expect(page.html).toContain('<footer');
    expect(page.html).toContain('<link rel="stylesheet" href="/portal.css">');

    const css = await fetch(`${portal.app.url}/portal.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
    expect(await css.text()).toContain('.site-nav');
  });

  it('shows the sign-up form: every field labelled, required ones marked, a CSRF token', { timeout: TIMEOUT }, async () => {
    const page = await browser().get('/signup');
    expect(page.status).toBe(200);
    expectSecurityHeaders(page);
    for (const name of Object.keys(signupForm('x@y.z'))) {
      expect(page.html).toContain(`for="f-${name}"`);
      expect(page.html).toContain(`id="f-${name}" name="${name}"`);
    }
    expect(page.html.match(/\(required\)<\/span><\/label>/g)).toHaveLength(9);
    expect(page.html.match(/\(optional\)<\/span><\/label>/g)).toHaveLength(3);
    expect(csrfOf(page.html, '/signup')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(page.setCookies.join()).toMatch(/helpnet_csrf=.*HttpOnly/i);
  });

  it('refuses a form without a valid CSRF token: 403 page, nothing created', { timeout: TIMEOUT }, async () => {
    const b = browser();
    await b.get('/signup');
    const email = newEmail();
    for (const token of [undefined, 'x'.repeat(43), csrfOf((await browser().get('/signup')).html)]) {
      const page = await b.request('POST', '/signup', { ...signupForm(email), ...(token ? { _csrf: token } : {}) });
      expect(page.status).toBe(403);
      expectSecurityHeaders(page);
      expect(page.html).toContain('This form has expired');
    }
    // No cookie at all: refused too.
    const fresh = new Browser(() => portal.app.url);
    expect((await fresh.request('POST', '/signup', { ...signupForm(email), _csrf: 'y'.repeat(43) })).status).toBe(403);
    expect(await CustomerAccount.count({ where: { email } })).toBe(0);
  });

  it('answers bad input with the form as sent, an error by each field and a summary linking to them; never the password', { timeout: TIMEOUT }, async () => {
    const b = browser();
    const page = await b.submit('/signup', '/signup', signupForm('not-an-email', { firstName: '  ', city: '', zip: 'z'.repeat(21), password: 'short', passwordAgain: 'shorter', company: '<b>Acme & Co</b>' }));
    expect(page.status).toBe(400);
    expectSecurityHeaders(page);
    expect(page.html).toContain('<title>Error: Sign up · Helpnet</title>');
    expect(page.html).toContain('class="error-summary" role="alert"');
    for (const [field, message] of [
      ['firstName', 'Enter your first name.'],
      ['email', 'Enter an email address like name@example.com.'],
      ['city', 'Enter your city.'],
      ['zip', 'ZIP or postal code can have at most 20 characters.'],
      ['password', 'Choose a password of at least 10 characters.'],
      ['passwordAgain', 'The two passwords are not the same.'],
    ]) {
      expect(page.html).toContain(`<li><a href="#f-${field}">${message}</a></li>`);
      expect(page.html).toContain(`<p class="field-error" id="f-${field}-error"><span class="visually-hidden">Error: </span>${message}</p>`);
      expect(page.html).toMatch(new RegExp(`id="f-${field}" name="${field}"[^>]*aria-invalid="true"`));
    }
    expect(valueOf(page.html, 'email')).toBe('not-an-email');
    expect(valueOf(page.html, 'lastName')).toBe('Okafor');
    expect(valueOf(page.html, 'company')).toBe('<b>Acme & Co</b>');
    expect(page.html).toContain('value="&lt;b&gt;Acme &amp; Co&lt;/b&gt;"');
    expect(valueOf(page.html, 'password')).toBe('');
    expect(page.html).not.toContain('short');
    expect(await CustomerAccount.count({ where: { email: 'not-an-email' } })).toBe(0);
  });

  it('signs up: "check your email", an argon2id hash, a customer without an email until confirmed, the confirmation link emailed (only its hash stored)', { timeout: TIMEOUT }, async () => {
    const { page, account, email } = await signUp(browser());
    expectSecurityHeaders(page);
    expect(page.html).toContain('Check your email');
    expect(page.html).toContain(email);
    expect(account.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(account).toMatchObject({ firstName: 'Dana', lastName: 'Okafor', company: 'Okafor Dental', city: 'Portland', state: 'ME', zip: '04101', country: 'United States', heardFrom: 'A friend', emailConfirmedAt: null });
    const customer = await Customer.findByPk(account.customerId, { rejectOnEmpty: true });
    expect(customer).toMatchObject({ name: 'Dana Okafor', email: null, company: 'Okafor Dental', city: 'Portland' });
    const link = await confirmLink(email);
    const token = link.split('/').pop()!;
    expect(account.confirmTokenHash).toMatch(/^[0-9a-f]{64}$/);
    const stored = JSON.stringify(await CustomerAccount.findByPk(account.id, { raw: true }));
    expect(stored).not.toContain(token);
    expect(stored).not.toContain(PASSWORD);
  });

  it('never says whether an email has an account: the same page, the owner emailed, nothing changed', { timeout: TIMEOUT }, async () => {
    const { page: first, account, email } = await signUp(browser());
    await confirmLink(email);
    const again = await browser().submit('/signup', '/signup', signupForm(email.toUpperCase(), { firstName: 'Mallory', password: 'another password!', passwordAgain: 'another password!' }));
    expect(again.status).toBe(200);
    expect(shape(again.html, email)).toBe(shape(first.html, email));
    const told = await waitFor(() => mailsTo(email).find((m) => m.subject === 'You already have a Helpnet account'), 'the email to the owner', 30_000);
    expect(told.text).toContain('http://helpnet.test/login');
    expect(told.text).toContain('http://helpnet.test/password/forgot');
    expect(told.text).not.toContain('/confirm/');
    expect(await CustomerAccount.count({ where: { email } })).toBe(1);
    expect(await CustomerAccount.findByPk(account.id)).toMatchObject({ firstName: 'Dana', passwordHash: account.passwordHash });
  });

  it('confirms the email by its link: the customer number shown, the widget tickets from that email claimed; the link then works no more', { timeout: TIMEOUT }, async () => {
    const email = newEmail();
    const filed = await fetch(`${portal.app.url}/api/widget/tickets`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Dana O.', email, category: 'ms-exchange', description: 'Outlook asks for my password all day.' }) });
    expect(filed.status).toBe(201);
    const widgetTicket = await Ticket.findOne({ where: { source: 'widget' }, order: [['id', 'DESC']], rejectOnEmpty: true });
    const widgetCustomerId = widgetTicket.customerId;

    const b = browser();
    const { account } = await signUp(b, email);
    // Before confirming, the account has nothing of the widget customer's.
    expect(account.customerId).not.toBe(widgetCustomerId);
    expect((await Ticket.findByPk(widgetTicket.id))!.customerId).toBe(widgetCustomerId);

    const link = await confirmLink(email);
    const confirmed = await b.get(link);
    expect(confirmed.status).toBe(200);
    expectSecurityHeaders(confirmed);
    expect(confirmed.html).toContain('Your email is confirmed');
    expect(confirmed.html).toContain(`Your customer number is <strong>${widgetCustomerId}</strong>`);
    expect(confirmed.html).toContain('1 earlier ticket(s)');
    const after = await CustomerAccount.findByPk(account.id, { rejectOnEmpty: true });
    expect(after.customerId).toBe(widgetCustomerId);
    expect(after.emailConfirmedAt).toBeInstanceOf(Date);
    expect(after.confirmTokenHash).toBeNull();
    expect(await Customer.findByPk(widgetCustomerId)).toMatchObject({ name: 'Dana Okafor', email, company: 'Okafor Dental', city: 'Portland' });

    // Used once: it works no more; nor does a made-up one.
    for (const path of [link, `/confirm/${'A'.repeat(43)}`, '/confirm/short', '/confirm/%E0%A4%A']) {
      const page = await b.get(path);
      expect(page.status).toBe(404);
      expect(page.html).toContain('This link does not work');
    }

    // With no earlier customer, the account's own customer takes the email.
    const solo = newEmail();
    const { account: soloAccount } = await signUp(browser(), solo);
    expect((await browser().get(await confirmLink(solo))).html).toContain(`Your customer number is <strong>${soloAccount.customerId}</strong>`);
    expect(await Customer.findByPk(soloAccount.customerId)).toMatchObject({ email: solo });
  });

  it('logs in: a neutral message for a wrong password or an unknown email; a new session cookie (httpOnly, SameSite=Lax), only its hash stored, rotated at each login', { timeout: TIMEOUT }, async () => {
    const { email, account } = await signUp(browser());
    const b = browser();
    const login = await b.get('/login');
    expectSecurityHeaders(login);
    expect(login.html).toContain('autocomplete="current-password"');

    const wrong = await logIn(b, email, 'not my password');
    const unknown = await logIn(b, newEmail(), PASSWORD);
    for (const page of [wrong, unknown]) {
      expect(page.status).toBe(401);
      expectSecurityHeaders(page);
      expect(page.html).toContain('The email or password is wrong.');
      expect(valueOf(page.html, 'password')).toBe('');
    }
    expect(shape(wrong.html, email)).toBe(shape(unknown.html, valueOf(unknown.html, 'email')!));
    expect(b.cookies.has('helpnet_session')).toBe(false);

    const ok = await logIn(b, email.toUpperCase());
    expect(ok.status).toBe(303);
    expect(ok.location).toBe('/tickets');
    expectSecurityHeaders(ok);
    const cookie = ok.setCookies.find((c) => c.startsWith('helpnet_session='))!;
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(cookie).toMatch(/; Path=\//);
    expect(cookie).not.toMatch(/; Secure/);
    const id = b.cookies.get('helpnet_session')!;
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const sessions = await PortalSession.findAll({ where: { accountId: account.id }, raw: true });
    expect(sessions).toHaveLength(1);
    expect(sessions[0]!.idHash).toBe(hashSessionId(id));
    expect(JSON.stringify(sessions)).not.toContain(id);

    const profile = await b.get('/profile');
    expect(profile.status).toBe(200);
    expect(profile.html).toContain('Dana Okafor');
    expect(profile.html).toContain('Log out</button>');

    // Logging in again (say, after someone planted a session id) starts a new one; the old one is gone.
    const again = await b.request('POST', '/login', { email, password: PASSWORD, _csrf: csrfOf(profile.html, '/logout') });
    expect(again.status).toBe(303);
    const id2 = b.cookies.get('helpnet_session')!;
    expect(id2).not.toBe(id);
    expect(await PortalSession.count({ where: { idHash: hashSessionId(id) } })).toBe(0);
    const planted = new Browser(() => portal.app.url);
    planted.cookies.set('helpnet_session', id);
    expect((await planted.get('/profile')).location).toBe('/login');

    // A session past its end is no session, and the next login forgets it.
    expect((await b.get('/profile')).status).toBe(200);
    await PortalSession.update({ expiresAt: new Date(Date.now() - 1000) }, { where: { idHash: hashSessionId(id2) } });
    expect((await b.get('/profile')).location).toBe('/login');
    expect((await logIn(browser(), email)).status).toBe(303);
    expect(await PortalSession.count({ where: { idHash: hashSessionId(id2) } })).toBe(0);
  });

  it('locks an email out after 5 wrong passwords (the right one is refused then, as for an unknown email), and an address after 20', { timeout: TIMEOUT }, async () => {
    const { email } = await signUp(browser());
    const b = browser();
    for (let i = 0; i < 5; i++) expect((await logIn(b, email, `wrong password ${i}`)).status).toBe(401);
    const locked = await logIn(b, email);
    expect(locked.status).toBe(429);
    expect(locked.html).toContain('Too many failed attempts');
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(800);
    expect(b.cookies.has('helpnet_session')).toBe(false);
    // From another address, the same email is locked too; an unknown email locks the same way.
    expect((await logIn(browser(), email)).status).toBe(429);
    const nobody = newEmail();
    const c = browser();
    for (let i = 0; i < 5; i++) expect((await logIn(c, nobody, 'guess')).status).toBe(401);
    expect((await logIn(c, nobody, 'guess')).status).toBe(429);

    // One address trying many emails is stopped at 20 failures, whoever it tries next.
    const { email: other } = await signUp(browser());
    const d = browser();
    for (let i = 0; i < 20; i++) expect((await logIn(d, newEmail(), 'guess')).status).toBe(401);
    expect((await logIn(d, other)).status).toBe(429);
    expect((await logIn(browser(), other)).status).toBe(303);
  });

  it('logs out by POST with the CSRF token: the session ends in the database and in the browser', { timeout: TIMEOUT }, async () => {
    const { email } = await signUp(browser());
    const b = browser();
    await logIn(b, email);
    const id = b.cookies.get('helpnet_session')!;
    const home = await b.get('/');
    expect(home.html).toContain('href="/tickets">I need help</a>');
    expect(home.html).toContain('Dana Okafor');

    const forged = await b.request('POST', '/logout', { _csrf: 'z'.repeat(43) });
    expect(forged.status).toBe(403);
    expect((await b.get('/profile')).status).toBe(200);

    const out = await b.request('POST', '/logout', { _csrf: csrfOf(home.html, '/logout') });
    expect(out.status).toBe(303);
    expect(out.location).toBe('/');
    expect(out.setCookies.find((c) => c.startsWith('helpnet_session='))).toMatch(/Expires=Thu, 01 Jan 1970/);
    expect(await PortalSession.count({ where: { idHash: hashSessionId(id) } })).toBe(0);
    const profile = await b.get('/profile');
    expect(profile.status).toBe(303);
    expect(profile.location).toBe('/login');
    expect((await b.get('/')).html).toContain('href="/login">Log in</a>');
  });

  it('edits the profile: per-field errors keep the input; saved details reach the customer row', { timeout: TIMEOUT }, async () => {
    const { email, account } = await signUp(browser());
    const b = browser();
    expect((await b.get('/profile')).location).toBe('/login');
    await logIn(b, email);
    const page = await b.get('/profile');
    expectSecurityHeaders(page);
    expect(page.html).toContain(`Customer number</dt><dd>${account.customerId}</dd>`);
    expect(page.html).toContain('not confirmed yet');
    expect(valueOf(page.html, 'city')).toBe('Portland');

    const details = { firstName: 'Dana', lastName: 'Okafor-Reyes', company: '', address: '9 Pier Road', city: 'Bangor', state: '', zip: '04401', country: 'United States', heardFrom: '' };
    const bad = await b.request('POST', '/profile', { ...details, country: ' ', _csrf: csrfOf(page.html, '/profile') });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('<li><a href="#f-country">Enter your country.</a></li>');
    expect(valueOf(bad.html, 'lastName')).toBe('Okafor-Reyes');
    expect((await CustomerAccount.findByPk(account.id))!.lastName).toBe('Okafor');

    const forged = await b.request('POST', '/profile', { ...details, _csrf: 'q'.repeat(43) });
    expect(forged.status).toBe(403);
    expect((await CustomerAccount.findByPk(account.id))!.lastName).toBe('Okafor');

    const saved = await b.request('POST', '/profile', { ...details, _csrf: csrfOf(page.html, '/profile') });
    expect(saved.status).toBe(303);
    expect(saved.location).toBe('/profile?saved=details');
    expect((await b.get(saved.location!)).html).toContain('Your details are saved.');
    expect(await CustomerAccount.findByPk(account.id)).toMatchObject({ lastName: 'Okafor-Reyes', company: null, city: 'Bangor', state: null, heardFrom: null });
    expect(await Customer.findByPk(account.customerId)).toMatchObject({ name: 'Dana Okafor-Reyes', company: null, city: 'Bangor' });
  });

  it('changes the password only with the current one; the other sessions end', { timeout: TIMEOUT }, async () => {
    const { email } = await signUp(browser());
    const b = browser();
    const elsewhere = browser();
    await logIn(b, email);
    await logIn(elsewhere, email);
    const page = await b.get('/profile');
    const csrf = csrfOf(page.html, '/profile/password');

    const wrong = await b.request('POST', '/profile/password', { currentPassword: 'not it at all', newPassword: 'a brand new secret', newPasswordAgain: 'a brand new secret', _csrf: csrf });
    expect(wrong.status).toBe(400);
    expect(wrong.html).toContain('<li><a href="#f-currentPassword">Your current password is not right.</a></li>');
    expect(wrong.html).not.toContain('a brand new secret');
    const mismatch = await b.request('POST', '/profile/password', { currentPassword: PASSWORD, newPassword: 'a brand new secret', newPasswordAgain: 'another one', _csrf: csrf });
    expect(mismatch.status).toBe(400);
    expect(mismatch.html).toContain('The two new passwords are not the same.');
    expect((await b.request('POST', '/profile/password', { currentPassword: PASSWORD, newPassword: 'a brand new secret', newPasswordAgain: 'a brand new secret', _csrf: 'w'.repeat(43) })).status).toBe(403);

    const changed = await b.request('POST', '/profile/password', { currentPassword: PASSWORD, newPassword: 'a brand new secret', newPasswordAgain: 'a brand new secret', _csrf: csrf });
    expect(changed.status).toBe(303);
    expect((await b.get('/profile?saved=password')).html).toContain('Your password is changed.');
    expect((await elsewhere.get('/profile')).location).toBe('/login');
    expect((await logIn(browser(), email)).status).toBe(401);
    expect((await logIn(browser(), email, 'a brand new secret')).status).toBe(303);
  });

  it('limits sign-ups to 5 per client address: the 6th gets the form again with a message and its input (never the passwords), and nothing is created', { timeout: TIMEOUT }, async () => {
    const b = browser();
    for (let i = 0; i < 5; i++) expect((await b.submit('/signup', '/signup', signupForm(newEmail()))).status).toBe(200);
    const email = newEmail();
    const over = await b.submit('/signup', '/signup', signupForm(email, { company: 'Okafor & <Sons>' }));
    expect(over.status).toBe(429);
    expectSecurityHeaders(over);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(10 * 60);
    expect(over.html).toContain('<title>Error: Sign up · Helpnet</title>');
    expect(over.html).toContain('class="error-summary" role="alert"');
    expect(over.html).toMatch(/Too many sign-ups were sent from your network\. Please wait 1[0-2] minutes and send the form again\./);
    expect(valueOf(over.html, 'email')).toBe(email);
    expect(valueOf(over.html, 'company')).toBe('Okafor & <Sons>');
    expect(valueOf(over.html, 'city')).toBe('Portland');
    expect(valueOf(over.html, 'password')).toBe('');
    expect(valueOf(over.html, 'passwordAgain')).toBe('');
    expect(over.html).not.toContain(PASSWORD);
    expect(over.html).not.toContain('aria-invalid');
    expect(await CustomerAccount.count({ where: { email } })).toBe(0);
    await sleep(300);
    expect(mailsTo(email)).toHaveLength(0);
    // A form with mistakes does not count, and is still answered with its errors.
    expect((await b.submit('/signup', '/signup', signupForm(email, { city: '' }))).status).toBe(400);
    // Another address is not limited by this one.
    expect((await browser().submit('/signup', '/signup', signupForm(email))).status).toBe(200);
    expect(await CustomerAccount.count({ where: { email } })).toBe(1);
  });

  it('refuses a body far too large with a page', { timeout: TIMEOUT }, async () => {
    const b = browser();
    const page = await b.submit('/signup', '/signup', signupForm(newEmail(), { heardFrom: 'x'.repeat(40_000) }));
    expect(page.status).toBe(413);
    expectSecurityHeaders(page);
  });

  it('property: any Unicode (NUL included) in every sign-up field never fails the server, and is shown escaped', { timeout: 180_000 }, async () => {
    const b = browser();
    const csrf = csrfOf((await b.get('/signup')).html);
    const piece = fc.oneof(fc.constantFrom('\u0000', '<', '>', '&', '"', "'", '`', '=', '\r', '\n', '\u202e', '\ud800', '<script>', '<b>'), fc.string({ unit: 'binary', minLength: 1, maxLength: 3 }));
    const text = fc.array(piece, { maxLength: 12 }).map((parts) => parts.join(''));
    const fields = Object.keys(signupForm('x@y.z'));
    await fc.assert(
      fc.asyncProperty(fc.record(Object.fromEntries(fields.map((f) => [f, text])) as Record<string, fc.Arbitrary<string>>), async (form) => {
        const page = await b.request('POST', '/signup', { ...form, _csrf: csrf });
        expect([200, 400]).toContain(page.status);
        expect(page.html).not.toMatch(/<script|<b>|\son[a-z]+=/i);
        for (const [name, value] of Object.entries(form)) {
          // Shown back as sent (as plain text: no NUL), escaped: reading the attribute gives it again.
          if (name !== 'password' && name !== 'passwordAgain' && page.status === 400) expect(valueOf(page.html, name)).toBe(toPlainText(value));
        }
      }),
      { numRuns: 40 },
    );
  });
});

describe(`portal accounts with mail off and an https PUBLIC_URL on ${TEST_ENGINE}`, () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ env: { PUBLIC_URL: 'https://help.example.com' } });
  }, TIMEOUT);
  afterAll(async () => {
    await app?.close();
  });

  it('signs up without sending anything (no job queued), and sets __Host- cookies with Secure', { timeout: TIMEOUT }, async () => {
    const b = new Browser(() => app.url);
    const form = await b.get('/signup');
    expect(form.setCookies.find((c) => c.startsWith('__Host-helpnet_csrf='))).toMatch(/; Secure/);
    const email = newEmail();
    const done = await b.request('POST', '/signup', { ...signupForm(email), _csrf: csrfOf(form.html) });
    expect(done.status).toBe(200);
    expect(done.html).toContain('Check your email');
    const account = await CustomerAccount.findOne({ where: { email }, rejectOnEmpty: true });
    const jobs = await app.server.db.sequelize.query<{ n: number }>("SELECT COUNT(*) AS n FROM agenda_jobs WHERE name = 'account.email'", { type: 'SELECT' } as never);
    expect(Number((jobs as unknown as { n: number }[])[0]!.n)).toBe(0);
    expect(account.emailConfirmedAt).toBeNull();

    // Without the link, the account still signs in (its widget tickets wait for a confirmation).
    const login = await b.get('/login');
    const ok = await b.request('POST', '/login', { email, password: PASSWORD, _csrf: csrfOf(login.html) });
    expect(ok.status).toBe(303);
    const cookie = ok.setCookies.find((c) => c.startsWith('__Host-helpnet_session='))!;
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(cookie).toMatch(/; Path=\//);
    expect(cookie).not.toMatch(/Domain=/);
  });
});
