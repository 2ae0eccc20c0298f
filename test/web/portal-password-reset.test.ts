import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Customer, CustomerAccount, PortalSession, Ticket } from '../../src/db/models/index.ts';
import { hashResetToken } from '../../src/domain/accounts/account-links.ts';
import { hashSessionId } from '../../src/domain/accounts/sessions.ts';
import { toPlainText } from '../../src/lib/plain-text.ts';
import { csrfOf, inputValue, pageShape, PortalClient, type PortalPage } from '../support/portal-client.ts';
import { startTestApp, type TestApp } from '../support/start-test-app.ts';
import { TEST_ENGINE } from '../support/test-database.ts';
import { sleep, waitFor } from '../support/wait-for.ts';
import { usePortalApp } from '../support/portal-app.ts';

const TIMEOUT = 90_000;
const PASSWORD = 'correct horse battery';
const NEW_PASSWORD = 'a brand new secret';

const newEmail = () => `reset.${randomUUID().slice(0, 8)}@customer.example`;

function signupForm(email: string): Record<string, string> {
  return { firstName: 'Ravi', lastName: 'Menon', company: 'Menon Books', email, address: '4 Quay Lane', city: 'Bristol', state: '', zip: 'BS1 4DJ', country: 'United Kingdom', heardFrom: '', password: PASSWORD, passwordAgain: PASSWORD };
}

/** The headers every portal page has, and a page's basic shape (no script, a title, a main landmark). */
function expectPortalPage(page: PortalPage) {
  const csp = page.headers.get('content-security-policy') ?? '';
  expect(csp).toContain("default-src 'none'");
  expect(csp).toContain("form-action 'self'");
  expect(csp).not.toMatch(/unsafe-inline|script-src/);
  expect(page.headers.get('referrer-policy')).toBe('no-referrer');
  expect(page.headers.get('x-frame-options')).toBe('DENY');
  expect(page.headers.get('cache-control')).toBe('no-store');
  if (page.status !== 303) {
    expect(page.headers.get('content-type')).toMatch(/^text\/html; charset=utf-8/);
    expect(page.html).not.toMatch(/<script|\sstyle=|<style|\son[a-z]+=/i);
    expect(page.html).toMatch(/<title>[^<]+ · Helpnet<\/title>/);
    expect(page.html).toContain('<main id="main"');
  }
}

function expectLinkDoesNotWork(page: PortalPage) {
  expect(page.status).toBe(404);
  expectPortalPage(page);
  expect(page.html).toContain('<h1>This link does not work</h1>');
  expect(page.html).toContain('href="/password/forgot"');
  expect(page.html).not.toContain('name="newPassword"');
}

describe(`password reset on ${TEST_ENGINE}`, () => {
  const portal = usePortalApp();

  const client = () => new PortalClient(() => portal.app.url);
  const resetMailsTo = (email: string) => portal.smtp.mails.filter((m) => m.to.includes(email) && m.subject === 'Reset your Helpnet password');

  async function signUp(email = newEmail()) {
    const page = await client().submit('/signup', '/signup', signupForm(email));
    expect(page.status).toBe(200);
    return { email, account: await CustomerAccount.findOne({ where: { email }, rejectOnEmpty: true }) };
  }

  async function logIn(b: PortalClient, email: string, password = PASSWORD) {
    return b.submit('/login', '/login', { email, password });
  }

  const askForLink = (b: PortalClient, email: string) => b.submit('/password/forgot', '/password/forgot', { email });

  /** The path of the newest reset link emailed to this address, once the `count`th such email has arrived. */
  async function emailedLink(email: string, count = 1): Promise<string> {
    const mails = await waitFor(() => (resetMailsTo(email).length >= count ? resetMailsTo(email) : undefined), `reset email ${count} to ${email}`, 30_000);
    const link = /http:\/\/helpnet\.test(\/password\/reset\/[A-Za-z0-9_-]{43})\n/.exec(mails[count - 1]!.text);
    expect(link).not.toBeNull();
    return link![1]!;
  }

  /** Opens the link's form and sends it. */
  async function choosePassword(b: PortalClient, link: string, password: string, again = password) {
    const form = await b.get(link);
    return b.request('POST', link, { newPassword: password, newPasswordAgain: again, _csrf: csrfOf(form.html, link) });
  }

  it('links to the forgot form from the login page; the form has a labelled email field and a CSRF token', { timeout: TIMEOUT }, async () => {
    const login = await client().get('/login');
    expect(login.html).toContain('<a href="/password/forgot">Forgot your password?</a>');
    const page = await client().get('/password/forgot');
    expect(page.status).toBe(200);
    expectPortalPage(page);
    expect(page.html).toContain('<title>Reset your password · Helpnet</title>');
    expect(page.html).toContain('for="f-email"');
    expect(page.html).toContain('id="f-email" name="email" value="" autocomplete="email"');
    expect(csrfOf(page.html, '/password/forgot')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('answers a known and an unknown email with the same status and page; only the account is emailed a link, of which only a hash is stored', { timeout: TIMEOUT }, async () => {
    const { email, account } = await signUp();
    const unknown = newEmail();
    const known = await askForLink(client(), email.toUpperCase());
    const nobody = await askForLink(client(), unknown);
    for (const page of [known, nobody]) {
      expect(page.status).toBe(200);
      expectPortalPage(page);
      expect(page.html).toContain('Check your email');
      expect(page.html).not.toContain('/password/reset/');
    }
    expect(pageShape(known.html, email)).toBe(pageShape(nobody.html, unknown));

    const link = await emailedLink(email);
    const mail = resetMailsTo(email)[0]!;
    expect(mail.text).toContain('Hello Ravi,');
    expect(mail.text).toContain('it works once, for 1 hour');
    const token = link.split('/').pop()!;
    expect(JSON.stringify(await CustomerAccount.findByPk(account.id, { raw: true }))).not.toContain(token);
    const row = await CustomerAccount.findByPk(account.id, { rejectOnEmpty: true });
    expect(row.resetTokenHash).toBe(hashResetToken(token));
    expect(row.resetExpiresAt!.getTime() - Date.now()).toBeGreaterThan(55 * 60_000);
    expect(row.resetExpiresAt!.getTime() - Date.now()).toBeLessThanOrEqual(60 * 60_000);
    // The unknown address gets nothing (the known one's email has come, so the queue has run).
    await sleep(500);
    expect(portal.smtp.mails.filter((m) => m.to.includes(unknown))).toHaveLength(0);
  });

  it('resets once: per-field errors first, then the new password, every old session ended, this browser signed in anew, the link dead', { timeout: TIMEOUT }, async () => {
    const { email, account } = await signUp();
    const laptop = client();
    const phone = client();
    expect((await logIn(laptop, email)).status).toBe(303);
    expect((await logIn(phone, email)).status).toBe(303);
    const laptopSession = laptop.cookies.get('helpnet_session')!;
    const b = client();
    await askForLink(b, email);
    const link = await emailedLink(email);

    const form = await b.get(link);
    expect(form.status).toBe(200);
    expectPortalPage(form);
    expect(form.html).toContain('<h1>Choose a new password</h1>');
    expect(form.html).toContain(`<form method="post" action="${link}" novalidate>`);
    expect(form.html.match(/autocomplete="new-password"/g)).toHaveLength(2);

    // Mistakes: a page with each field's message, the fields empty, nothing changed.
    const short = await choosePassword(b, link, 'short', 'short');
    expect(short.status).toBe(400);
    expectPortalPage(short);
    expect(short.html).toContain('<title>Error: Choose a new password · Helpnet</title>');
    expect(short.html).toContain('<li><a href="#f-newPassword">Choose a password of at least 10 characters.</a></li>');
    expect(short.html).toMatch(/id="f-newPassword" name="newPassword" value=""[^>]*aria-invalid="true"/);
    const mismatch = await choosePassword(b, link, NEW_PASSWORD, 'something else entirely');
    expect(mismatch.status).toBe(400);
    expect(mismatch.html).toContain('<p class="field-error" id="f-newPasswordAgain-error"><span class="visually-hidden">Error: </span>The two passwords are not the same.</p>');
    expect(mismatch.html).not.toContain(NEW_PASSWORD);
    expect(mismatch.html).not.toContain('something else entirely');
    expect((await CustomerAccount.findByPk(account.id))!.passwordHash).toBe(account.passwordHash);
    expect((await laptop.get('/profile')).status).toBe(200);

    const done = await choosePassword(b, link, NEW_PASSWORD);
    expect(done.status).toBe(303);
    expectPortalPage(done);
    expect(done.location).toBe('/profile?saved=password');
    const cookie = done.setCookies.find((c) => c.startsWith('helpnet_session='))!;
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    const profile = await b.get(done.location!);
    expect(profile.status).toBe(200);
    expect(profile.html).toContain('Your password is changed.');

    // Every session the account had is gone; only the new one is left.
    expect((await laptop.get('/profile')).location).toBe('/login');
    expect((await phone.get('/profile')).location).toBe('/login');
    expect(await PortalSession.count({ where: { idHash: hashSessionId(laptopSession) } })).toBe(0);
    const sessions = await PortalSession.findAll({ where: { accountId: account.id } });
    expect(sessions.map((s) => s.idHash)).toEqual([hashSessionId(b.cookies.get('helpnet_session')!)]);

    const after = await CustomerAccount.findByPk(account.id, { rejectOnEmpty: true });
    expect(after.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(after).toMatchObject({ resetSalt: null, resetTokenHash: null, resetExpiresAt: null });
    expect((await logIn(client(), email)).status).toBe(401);
    expect((await logIn(client(), email, NEW_PASSWORD)).status).toBe(303);

    // Once only: the link shows the same "does not work" page, and a form sent to it changes nothing.
    expectLinkDoesNotWork(await b.get(link));
    expectLinkDoesNotWork(await b.request('POST', link, { newPassword: 'yet another password', newPasswordAgain: 'yet another password', _csrf: csrfOf(profile.html, '/logout') }));
    expect((await CustomerAccount.findByPk(account.id))!.passwordHash).toBe(after.passwordHash);
  });

  it('confirms an unconfirmed email by the reset, claiming the widget tickets from it as the confirmation link would', { timeout: TIMEOUT }, async () => {
    const email = newEmail();
    const filed = await fetch(`${portal.app.url}/api/widget/tickets`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Ravi M.', email, category: 'ms-exchange', description: 'My mailbox is full.' }) });
    expect(filed.status).toBe(201);
    const widgetTicket = await Ticket.findOne({ where: { source: 'widget' }, order: [['id', 'DESC']], rejectOnEmpty: true });
    const { account } = await signUp(email);
    expect(account.emailConfirmedAt).toBeNull();

    const b = client();
    await askForLink(b, email);
    expect((await choosePassword(b, await emailedLink(email), NEW_PASSWORD)).status).toBe(303);
    const after = await CustomerAccount.findByPk(account.id, { rejectOnEmpty: true });
    expect(after.emailConfirmedAt).toBeInstanceOf(Date);
    expect(after.customerId).toBe(widgetTicket.customerId);
    expect(after.confirmTokenHash).toBeNull();
    expect(await Customer.findByPk(widgetTicket.customerId)).toMatchObject({ name: 'Ravi Menon', email });
    expect((await b.get('/profile')).html).toContain('<span class="badge">confirmed</span>');
  });

  it('refuses an expired, a replaced, a made-up or a mangled link with one 404 page', { timeout: TIMEOUT }, async () => {
    const { email, account } = await signUp();
    const b = client();
    await askForLink(b, email);
    const first = await emailedLink(email);
    await askForLink(client(), email);
    const second = await emailedLink(email, 2);
    expect(second).not.toBe(first);
    // Only the newest link works.
    expectLinkDoesNotWork(await b.get(first));
    expect((await b.get(second)).status).toBe(200);

    // Past its hour, the newest one works no more either, for the form or its answer.
    const form = await b.get(second);
    await CustomerAccount.update({ resetExpiresAt: new Date(Date.now() - 1000) }, { where: { id: account.id } });
    expectLinkDoesNotWork(await b.get(second));
    expectLinkDoesNotWork(await b.request('POST', second, { newPassword: NEW_PASSWORD, newPasswordAgain: NEW_PASSWORD, _csrf: csrfOf(form.html, second) }));
    expect((await CustomerAccount.findByPk(account.id))!.passwordHash).toBe(account.passwordHash);

    for (const path of [`/password/reset/${'A'.repeat(43)}`, '/password/reset/short', '/password/reset/%E0%A4%A', `/password/reset/${'A'.repeat(42)}%00`]) expectLinkDoesNotWork(await b.get(path));
  });

  it('refuses a form without the right CSRF token: 403, nothing changes', { timeout: TIMEOUT }, async () => {
    const { email, account } = await signUp();
    const b = client();
    await b.get('/password/forgot');
    const forgery = await b.request('POST', '/password/forgot', { email, _csrf: 'x'.repeat(43) });
    expect(forgery.status).toBe(403);
    expectPortalPage(forgery);
    expect(forgery.html).toContain('This form has expired');
    expect((await CustomerAccount.findByPk(account.id))!.resetTokenHash).toBeNull();

    await askForLink(b, email);
    const link = await emailedLink(email);
    await b.get(link);
    const forged = await b.request('POST', link, { newPassword: NEW_PASSWORD, newPasswordAgain: NEW_PASSWORD, _csrf: csrfOf((await client().get(link)).html, link) });
    expect(forged.status).toBe(403);
    expect(forged.html).toContain('This form has expired');
    const row = await CustomerAccount.findByPk(account.id, { rejectOnEmpty: true });
    expect(row.passwordHash).toBe(account.passwordHash);
    expect(row.resetTokenHash).not.toBeNull();
    // The link still works for its owner.
    expect((await choosePassword(b, link, NEW_PASSWORD)).status).toBe(303);
  });

  it('answers a bad email with the form, the message by the field and the input kept', { timeout: TIMEOUT }, async () => {
    const page = await askForLink(client(), 'not an <email>');
    expect(page.status).toBe(400);
    expectPortalPage(page);
    expect(page.html).toContain('<title>Error: Reset your password · Helpnet</title>');
    expect(page.html).toContain('<li><a href="#f-email">Enter an email address like name@example.com.</a></li>');
    expect(page.html).toMatch(/id="f-email" name="email"[^>]*aria-invalid="true"/);
    expect(inputValue(page.html, 'email')).toBe('not an <email>');
    expect(page.html).toContain('value="not an &lt;email&gt;"');
    const empty = await askForLink(client(), '');
    expect(empty.status).toBe(400);
    expect(empty.html).toContain('Enter your email address.');
  });

  it('limits links per email (3) and per address (10): the same 429 page with Retry-After, whether the email has an account or not', { timeout: TIMEOUT }, async () => {
    const { email } = await signUp();
    const unknown = newEmail();
    for (const target of [email, unknown]) {
      for (let i = 0; i < 3; i++) expect((await askForLink(client(), target)).status).toBe(200);
    }
    const overKnown = await askForLink(client(), email);
    const overUnknown = await askForLink(client(), unknown);
    for (const page of [overKnown, overUnknown]) {
      expect(page.status).toBe(429);
      expectPortalPage(page);
      expect(page.html).toMatch(/Too many reset links were asked for\. Please wait (?:1[5-9]|20) minutes and try again\./);
      expect(Number(page.headers.get('retry-after'))).toBeGreaterThan(15 * 60);
    }
    expect(inputValue(overKnown.html, 'email')).toBe(email);
    expect(pageShape(overKnown.html, email)).toBe(pageShape(overUnknown.html, unknown));
    // The 4th request sent nothing: three emails only.
    await emailedLink(email, 3);
    await sleep(500);
    expect(resetMailsTo(email)).toHaveLength(3);

    // One address trying many emails is stopped at 10, whatever it tries next.
    const b = client();
    for (let i = 0; i < 10; i++) expect((await askForLink(b, newEmail())).status).toBe(200);
    const { email: fresh } = await signUp();
    const over = await askForLink(b, fresh);
    expect(over.status).toBe(429);
    expect(over.html).toContain('Too many reset links were asked for.');
    expect((await CustomerAccount.findOne({ where: { email: fresh }, rejectOnEmpty: true })).resetTokenHash).toBeNull();
    // That address's limit is not that email's: from elsewhere it still gets its link.
    expect((await askForLink(client(), fresh)).status).toBe(200);
    await emailedLink(fresh);
  });

  it('property: any Unicode (NUL included) typed as the email never fails the server, and is shown escaped', { timeout: 180_000 }, async () => {
    const piece = fc.oneof(fc.constantFrom('\u0000', '<', '>', '&', '"', "'", '`', '=', '@', '.', '\r', '\n', '\u202e', '\ud800', '<script>', '<b>', 'a@b.co'), fc.string({ unit: 'binary', minLength: 1, maxLength: 3 }));
    const text = fc.array(piece, { maxLength: 12 }).map((parts) => parts.join(''));
    await fc.assert(
      fc.asyncProperty(text, async (email) => {
        // A client (address) per run, so a run of valid addresses meets no limit.
        const b = client();
        const page = await askForLink(b, email);
        // 429: the same valid address drawn more than 3 times meets the per-email limit.
        expect([200, 400, 429]).toContain(page.status);
        expect(page.html).not.toMatch(/<script|<b>|\son[a-z]+=/i);
        if (page.status === 200) expect(page.html).toContain('Check your email');
        else expect(inputValue(page.html, 'email')).toBe(toPlainText(email));
      }),
      { numRuns: 40 },
    );
  });
});

describe(`password reset with mail off on ${TEST_ENGINE}`, () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ env: { PUBLIC_URL: 'http://helpnet.test' } });
  }, TIMEOUT);
  afterAll(async () => {
    await app?.close();
  });

  it('says mail is off, offers no form, and makes no link', { timeout: TIMEOUT }, async () => {
    const b = new PortalClient(() => app.url);
    const email = newEmail();
    expect((await b.submit('/signup', '/signup', signupForm(email))).status).toBe(200);
    const page = await b.get('/password/forgot');
    expect(page.status).toBe(200);
    expectPortalPage(page);
    expect(page.html).toContain('This Helpnet cannot send email');
    expect(page.html).not.toContain('<form method="post" action="/password/forgot"');
    // A form opened before mail was turned off: the same answer, and nothing made.
    const sent = await b.request('POST', '/password/forgot', { email, _csrf: csrfOf((await b.get('/login')).html, '/login') });
    expect(sent.status).toBe(200);
    expect(sent.html).toContain('This Helpnet cannot send email');
    expect(sent.html).not.toContain('/password/reset/');
    expect((await CustomerAccount.findOne({ where: { email }, rejectOnEmpty: true })).resetTokenHash).toBeNull();
    const jobs = await app.server.db.sequelize.query<{ n: number }>("SELECT COUNT(*) AS n FROM agenda_jobs WHERE name = 'account.email'", { type: 'SELECT' } as never);
    expect(Number((jobs as unknown as { n: number }[])[0]!.n)).toBe(0);
  });
});
