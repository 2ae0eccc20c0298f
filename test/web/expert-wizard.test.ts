import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Expert, ExpertApplication, ExpertApplicationDraft, ExpertSkill } from '../../src/db/models/index.ts';
import { applyAsExpert, type ApplicationInput } from '../../src/domain/experts/apply-as-expert.ts';
import { toPlainText } from '../../src/lib/plain-text.ts';
import { createQualifiedExpert } from '../support/experts.ts';
import { startTestApp, type TestApp } from '../support/start-test-app.ts';
import { TEST_ENGINE } from '../support/test-database.ts';
import { waitFor } from '../support/wait-for.ts';
import { usePortalApp } from '../support/portal-app.ts';
import { PortalClient, unescapeHtml, type PortalPage } from '../support/portal-client.ts';

const TIMEOUT = 120_000;
const MANAGERS_CHANNEL = 'C0MGRS001';

/** A portal client that also fills in a wizard step. */
class Browser extends PortalClient {
  /** Opens the step's page (for its CSRF token), then posts the fields with `action`. */
  async post(step: string, fields: Record<string, string>, action = 'next'): Promise<PortalPage> {
    const page = await this.get(`/experts/join/${step}`);
    expect(page.status, `GET ${step}: ${page.location ?? ''}`).toBe(200);
    return this.request('POST', `/experts/join/${step}`, { ...fields, action, _csrf: wizardCsrfOf(page.html) });
  }
}

function wizardCsrfOf(html: string): string {
  const m = /<form method="post" action="\/experts\/join\/[a-z]+"[^>]*>\s*<input type="hidden" name="_csrf" value="([^"]+)">/.exec(html);
  if (!m) throw new Error(`no wizard form on the page:\n${html}`);
  return m[1]!;
}

const valueOf = (html: string, name: string) => {
  const input = new RegExp(`<input[^>]*name="${name.replace(/\./g, '\\.')}" value="([^"]*)"`).exec(html);
  if (input) return unescapeHtml(input[1]!);
  const area = new RegExp(`<textarea[^>]*name="${name.replace(/\./g, '\\.')}"[^>]*>([^<]*)</textarea>`).exec(html);
  return area ? unescapeHtml(area[1]!) : undefined;
};
const selectedOf = (html: string, name: string) => {
  const select = new RegExp(`<select[^>]*name="${name.replace(/\./g, '\\.')}"[^>]*>([\\s\\S]*?)</select>`).exec(html);
  return select ? (/<option value="([^"]*)" selected>/.exec(select[1]!)?.[1] ?? '') : undefined;
};
/** The error summary's links: target → message. */
const summaryOf = (html: string) => Object.fromEntries([...html.matchAll(/<li><a href="#([^"]+)">([^<]+)<\/a><\/li>/g)].map((m) => [m[1]!, unescape(m[2]!)]));

const newEmail = () => `ada.${randomUUID().slice(0, 8)}@expert.example`;

const contact = (email: string, over: Record<string, string> = {}) => ({ name: 'Ada Wizard', email, phone: '+41 44 123 45 67', ...over });
const skills = { 'categories.ms-exchange': 'experienced', 'categories.windows-nt': '' };
const experience = {
  jobs: '1',
  'employment.0.employer': 'Acme Hosting',
  'employment.0.role': 'Exchange administrator',
  'employment.0.from': '2015-03',
  'employment.0.to': '',
  'employment.0.current': 'yes',
  'employment.0.description': 'Ran 40 Exchange servers.',
  yearsExperience: '11',
  summary: 'Eleven years of Exchange administration for hosting companies.',
};
const references = { referees: '2', 'referees.0.name': 'Rita Referee', 'referees.0.contact': 'rita@example.com', 'referees.1.name': 'Rob Referee', 'referees.1.contact': '+41 44 765 43 21' };

type Over = { contact?: Record<string, string>; skills?: Record<string, string>; experience?: Record<string, string>; references?: Record<string, string> };
/** Goes through every step with valid answers (`over` per step); the review page. */
async function fillIn(b: Browser, email: string, over: Over = {}) {
  for (const [step, fields, next] of [
    ['contact', { ...contact(email), ...over.contact }, 'skills'],
    ['skills', { ...skills, ...over.skills }, 'experience'],
    ['experience', { ...experience, ...over.experience }, 'references'],
    ['references', { ...references, ...over.references }, 'review'],
  ] as const) {
    const page = await b.post(step, fields);
    expect(page.status, `${step}: ${page.html.slice(0, 3000)}`).toBe(303);
    expect(page.location).toBe(`/experts/join/${next}`);
  }
  return b.get('/experts/join/review');
}

describe(`the expert sign-up wizard on ${TEST_ENGINE}`, () => {
  const portal = usePortalApp();

  const browser = () => new Browser(() => portal.app.url);
  const draftCount = () => ExpertApplicationDraft.count();
  const managersPostAbout = (name: string) => portal.app.slack.messages.find((m) => m.channel === MANAGERS_CHANNEL && JSON.stringify(m.blocks ?? '').includes(name));
  const mailsTo = (email: string) => portal.smtp.mails.filter((m) => m.to.includes(email));
  /** The resume link (its path) in the email to `email` after the `seen` first ones. */
  async function linkIn(email: string, seen: number): Promise<{ path: string; text: string; subject: string }> {
    const mail = await waitFor(() => mailsTo(email)[seen], `email ${seen + 1} to ${email}`, 30_000);
    const link = /http:\/\/helpnet\.test(\/experts\/join\/resume\/[A-Za-z0-9_-]{43})/.exec(mail.text);
    if (!link) throw new Error(`no resume link in the email:\n${mail.text}`);
    return { path: link[1]!, text: mail.text, subject: mail.subject };
  }
  /** Submit on the review page asks to confirm the email; the link from the inbox, opened in `b`, shows the review with the notice; Submit again: its page. */
  async function submitConfirmed(b: Browser, email: string, reviewHtml: string): Promise<PortalPage> {
    const seen = mailsTo(email).length;
    const asked = await b.request('POST', '/experts/join/review', { action: 'submit', _csrf: wizardCsrfOf(reviewHtml) });
    expect(asked.status, asked.html.slice(0, 2000)).toBe(200);
    expect(asked.html).toContain('Check your email');
    const opened = await b.get((await linkIn(email, seen)).path);
    expect(opened.location).toBe('/experts/join/review');
    const review = await b.get('/experts/join/review');
    expect(review.html).toContain('Your email is confirmed. Press Submit to send your application.');
    return b.request('POST', '/experts/join/review', { action: 'submit', _csrf: wizardCsrfOf(review.html) });
  }

  it('shows the first step to anyone: labelled fields, a CSRF token, the security headers, the steps ahead', { timeout: TIMEOUT }, async () => {
    const page = await browser().get('/experts/join');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.html).not.toMatch(/<script|\sstyle=|\son[a-z]+=/i);
    expect(page.html).toContain('<title>Your contact details (step 1 of 5) · Join as an IT expert · Helpnet</title>');
    for (const name of ['name', 'email', 'phone']) expect(page.html).toContain(`for="f-${name}"`);
    expect(page.html).toContain('aria-current="step"');
    for (const label of ['Next', 'Save and exit']) expect(page.html).toContain(`>${label}</button>`);
    expect(page.html).not.toContain('value="back"');
    expect(wizardCsrfOf(page.html)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Nothing is stored until the person sends something.
    expect(page.setCookies.join()).not.toContain('helpnet_expert_draft');
  });

  it("refuses each step's bad answers on their fields, with a linked summary and what was typed kept", { timeout: TIMEOUT }, async () => {
    const b = browser();
    const email = newEmail();
    let page = await b.post('contact', { name: '  ', email: 'not-an-email <b>', phone: 'call me' });
    expect(page.status).toBe(400);
    expect(page.html).toContain('<title>Error: Your contact details');
    expect(summaryOf(page.html)).toEqual({ 'f-name': 'Enter your name.', 'f-email': 'Enter a valid email address, like name@example.com.', 'f-phone': expect.stringContaining('Enter a phone number') });
    expect(valueOf(page.html, 'email')).toBe('not-an-email <b>');
    expect(page.html).toContain('not-an-email &lt;b&gt;');
    expect(page.html).toMatch(/id="f-email" name="email"[^>]*aria-invalid="true" aria-describedby="f-email-hint f-email-error"/);
    // The draft keeps what was typed even so.
    expect(valueOf((await b.get('/experts/join/contact')).html, 'phone')).toBe('call me');
    // A later step cannot be skipped to.
    expect((await b.get('/experts/join/references')).location).toBe('/experts/join/contact');

    expect((await b.post('contact', contact(email))).location).toBe('/experts/join/skills');
    page = await b.post('skills', { 'categories.ms-exchange': '', 'categories.windows-nt': '' });
    expect(page.status).toBe(400);
    expect(summaryOf(page.html)).toEqual({ 'f-categories-ms-exchange': 'Choose your level in at least one category you want to answer tickets for.' });
    page = await b.post('skills', { 'categories.ms-exchange': 'guru', 'categories.windows-nt': 'expert' });
    expect(page.status).toBe(400);
    expect(summaryOf(page.html)).toEqual({ 'f-categories-ms-exchange': 'Choose a level from the list.' });
    expect(selectedOf(page.html, 'categories.windows-nt')).toBe('expert');
    expect((await b.post('skills', skills)).location).toBe('/experts/join/experience');

    page = await b.post('experience', { ...experience, 'employment.0.employer': '', 'employment.0.from': '2015', 'employment.0.to': '2014-01', 'employment.0.current': '', yearsExperience: 'ten', summary: 'Too short' });
    expect(page.status).toBe(400);
    expect(summaryOf(page.html)).toEqual({
      'f-employment-0-employer': 'Enter the employer.',
      'f-employment-0-from': 'Enter when you started as a month, like 2019-04.',
      'f-yearsExperience': 'Enter your years of experience as a whole number, like 5.',
      'f-summary': 'Please write at least 20 characters.',
    });
    expect(valueOf(page.html, 'yearsExperience')).toBe('ten');
    expect(valueOf(page.html, 'summary')).toBe('Too short');
    page = await b.post('experience', { ...experience, 'employment.0.from': '2016-01', 'employment.0.to': '2014-01', 'employment.0.current': '' });
    expect(summaryOf(page.html)).toEqual({ 'f-employment-0-to': 'The end cannot be before the start.' });
    expect((await b.post('experience', experience)).location).toBe('/experts/join/references');

    page = await b.post('references', { ...references, 'referees.1.name': '', 'referees.1.contact': 'x' });
    expect(page.status).toBe(400);
    expect(summaryOf(page.html)).toEqual({ 'f-referees-1-name': 'Enter the name of your second referee.', 'f-referees-1-contact': 'Please write at least 3 characters.' });
    expect(valueOf(page.html, 'referees.0.name')).toBe('Rita Referee');
  });

  it('Back keeps the answers of the step left and of the one before; Add another and Remove change the rows', { timeout: TIMEOUT }, async () => {
    const b = browser();
    const email = newEmail();
    await b.post('contact', contact(email));
    await b.post('skills', skills);
    // Half-filled, then Back: kept although not valid yet.
    const back = await b.post('experience', { ...experience, summary: 'Half a thought' }, 'back');
    expect(back.location).toBe('/experts/join/skills');
    const skillsPage = await b.get('/experts/join/skills');
    expect(selectedOf(skillsPage.html, 'categories.ms-exchange')).toBe('experienced');
    expect(selectedOf(skillsPage.html, 'categories.windows-nt')).toBe('');
    expect(skillsPage.html).toContain('value="back"');
    const again = await b.get('/experts/join/experience');
    expect(again.status).toBe(200);
    expect(valueOf(again.html, 'summary')).toBe('Half a thought');
    expect(valueOf(again.html, 'employment.0.employer')).toBe('Acme Hosting');
    expect(again.html).toMatch(/name="employment\.0\.current" value="yes" checked/);
    // Back to the first step: the contact details are there.
    await b.post('skills', skills, 'back');
    expect(valueOf((await b.get('/experts/join/contact')).html, 'email')).toBe(email);

    const added = await b.post('experience', { ...experience, summary: 'Half a thought' }, 'add-job');
    expect(added.location).toBe('/experts/join/experience#job-2');
    let page = await b.get('/experts/join/experience');
    expect(page.html).toContain('<legend>Job 2</legend>');
    expect(page.html).toContain('value="remove-job-1"');
    page = await b.post('experience', { ...experience, jobs: '2', 'employment.1.employer': 'Beta Mail', 'employment.1.role': 'Admin', 'employment.1.from': '2010-01', 'employment.1.to': '2015-02' }, 'remove-job-0');
    page = await b.get('/experts/join/experience');
    expect(page.html).not.toContain('<legend>Job 2</legend>');
    expect(valueOf(page.html, 'employment.0.employer')).toBe('Beta Mail');
    expect(page.html).not.toContain('value="remove-job-0"');

    // Five jobs at most, two references at least.
    for (let i = 0; i < 6; i += 1) await b.post('experience', { ...experience, jobs: String(i + 1) }, 'add-job');
    page = await b.get('/experts/join/experience');
    expect(page.html.match(/<legend>Job \d<\/legend>/g)).toHaveLength(5);
    expect(page.html).not.toContain('value="add-job"');
  });

  it('refuses a form without the right CSRF token: 403, nothing stored', { timeout: TIMEOUT }, async () => {
    const before = await draftCount();
    const b = browser();
    await b.get('/experts/join');
    for (const token of [undefined, 'x'.repeat(43), wizardCsrfOf((await browser().get('/experts/join')).html)]) {
      const page = await b.request('POST', '/experts/join/contact', { ...contact(newEmail()), action: 'save', ...(token ? { _csrf: token } : {}) });
      expect(page.status).toBe(403);
      expect(page.html).toContain('This form has expired');
      expect(page.setCookies.join()).not.toContain('helpnet_expert_draft');
    }
    expect(await draftCount()).toBe(before);
    // No draft, so no resume email could be queued for one.
  });

  it('Save and exit emails a resume link (only its hash stored) that restores the step reached in another browser; a bad or expired link gets the same page', { timeout: TIMEOUT }, async () => {
    const b = browser();
    const email = newEmail();
    await b.post('contact', contact(email));
    await b.post('skills', skills);
    const saved = await b.post('experience', { ...experience, summary: 'Not finished yet, more to come later.' }, 'save');
    expect(saved.status).toBe(200);
    expect(saved.html).toContain('We emailed you a link');
    expect(saved.html).toContain(email);
    expect(saved.html).not.toMatch(/\/experts\/join\/resume\//);
    const mail = await waitFor(() => portal.smtp.mails.find((m) => m.to.includes(email)), 'the resume email', 30_000);
    const link = /http:\/\/helpnet\.test(\/experts\/join\/resume\/([A-Za-z0-9_-]{43}))/.exec(mail.text);
    expect(link, mail.text).not.toBeNull();
    const row = await ExpertApplicationDraft.findOne({ where: { email }, rejectOnEmpty: true });
    expect(row.step).toBe('experience');
    expect(JSON.stringify(row.toJSON())).not.toContain(link![2]!);
    expect(row.expiresAt.getTime() - Date.now()).toBeGreaterThan(29 * 24 * 60 * 60_000);

    const other = browser();
    const opened = await other.get(link![1]!);
    expect(opened.status).toBe(303);
    expect(opened.location).toBe('/experts/join/experience');
    expect(opened.setCookies.join()).toMatch(/helpnet_expert_draft=[A-Za-z0-9_-]{43}; .*HttpOnly.*SameSite=Lax/i);
    const restored = await other.get('/experts/join/experience');
    expect(valueOf(restored.html, 'summary')).toBe('Not finished yet, more to come later.');
    // The first browser's cookie no longer opens it (the link moved it).
    expect((await b.get('/experts/join/experience')).location).toBe('/experts/join');

    const notFound = async (path: string) => {
      const page = await browser().get(path);
      expect(page.status, path).toBe(404);
      expect(page.html).toContain('This link does not work');
      return page.html.replace(/name="_csrf" value="[^"]+"/g, '');
    };
    const wrong = await notFound(`/experts/join/resume/${'A'.repeat(43)}`);
    expect(await notFound('/experts/join/resume/short')).toBe(wrong);
    await row.update({ expiresAt: new Date(Date.now() - 1000) });
    expect(await notFound(link![1]!)).toBe(wrong);

    // Save and exit on the first step needs an email to send to.
    const c = browser();
    const noEmail = await c.post('contact', contact(''), 'save');
    expect(noEmail.status).toBe(400);
    expect(summaryOf(noEmail.html)).toEqual({ 'f-email': 'Enter your email address, so we can send you the link to continue.' });
  });

  it("submits through applyAsExpert: the managers' channel gets the application, the draft is gone, the page says what happens next", { timeout: TIMEOUT }, async () => {
    const b = browser();
    const email = newEmail();
    const name = `Ada Submit ${randomUUID().slice(0, 6)}`;
    const review = await fillIn(b, email, {
      contact: { name },
      skills: { 'categories.windows-nt': 'expert' },
      references: { referees: '3', 'referees.2.name': 'Ray Third', 'referees.2.contact': 'ray@example.com' },
    });
    expect(review.status).toBe(200);
    expect(review.html).toContain(name);
    expect(review.html).toContain('Windows NT: Expert');
    expect(review.html).toContain('>Submit my application</button>');
    expect(review.html).not.toContain('Your email is confirmed');
    // Submit before the email is confirmed: nothing applied, the link emailed, the page says so.
    const asked = await b.request('POST', '/experts/join/review', { action: 'submit', _csrf: wizardCsrfOf(review.html) });
    expect(asked.status).toBe(200);
    expect(asked.html).toContain('<h1>Check your email</h1>');
    expect(asked.html).toContain(`Open the link we sent to <strong class="address">${email}</strong> to send your application; your answers are kept.`);
    expect(asked.html).not.toMatch(/resume\//);
    const mail = await linkIn(email, 0);
    expect(mail.subject).toBe('Confirm your email to send your Helpnet expert application');
    expect(mail.text).toContain('confirm your email to send your application');
    expect(await Expert.count({ where: { email } })).toBe(0);
    expect(await ExpertApplicationDraft.count({ where: { email } })).toBe(1);
    expect(managersPostAbout(name)).toBeUndefined();
    // The link: the review step, with the notice; then Submit applies.
    const opened = await b.get(mail.path);
    expect(opened.status).toBe(303);
    expect(opened.location).toBe('/experts/join/review');
    const confirmed = await b.get('/experts/join/review');
    expect(confirmed.html).toContain('<p class="notice" role="status">Your email is confirmed. Press Submit to send your application.</p>');
    expect(confirmed.html).toContain('Ray Third');
    const done = await b.request('POST', '/experts/join/review', { action: 'submit', _csrf: wizardCsrfOf(confirmed.html) });
    expect(done.status).toBe(200);
    expect(done.html).toContain('Registration received');
    expect(done.html).toContain('Your qualifications will be assessed before any ticket is assigned to you.');
    expect(done.html).toContain('A Helpnet manager will contact you by email or phone');
    expect(await ExpertApplicationDraft.count({ where: { email } })).toBe(0);
    expect((await b.get('/experts/join')).status).toBe(200);

    const expert = await Expert.findOne({ where: { email }, rejectOnEmpty: true });
    expect(expert.slackUserId).toBeNull();
    expect(expert.name).toBe(name);
    const application = await ExpertApplication.findOne({ where: { expertId: expert.id }, rejectOnEmpty: true });
    expect(JSON.parse(application.referees)).toHaveLength(3);
    expect(JSON.parse(application.employment!)).toEqual([{ employer: 'Acme Hosting', role: 'Exchange administrator', from: '2015-03', to: null, description: 'Ran 40 Exchange servers.' }]);
    expect(await ExpertSkill.count({ where: { expertId: expert.id, status: 'applied' } })).toBe(2);
    const post = await waitFor(() => managersPostAbout(name), "the managers' message", 30_000);
    const blocks = JSON.stringify(post.blocks);
    expect(blocks).toContain('Ray Third');
    expect(blocks).toContain('Exchange administrator, Acme Hosting (2015-03 – now)');
    expect(blocks).toContain('"action_id":"expert.approve"');
  });

  it('a confirmed email changed on the contact step is not confirmed: Submit asks again, at the new address, and the old link stops working', { timeout: TIMEOUT }, async () => {
    const b = browser();
    const first = newEmail();
    const name = `Ada Changes ${randomUUID().slice(0, 6)}`;
    let review = await fillIn(b, first, { contact: { name } });
    await b.request('POST', '/experts/join/review', { action: 'submit', _csrf: wizardCsrfOf(review.html) });
    const oldLink = await linkIn(first, 0);
    expect((await b.get(oldLink.path)).location).toBe('/experts/join/review');
    expect((await b.get('/experts/join/review')).html).toContain('Your email is confirmed.');

    const second = newEmail();
    expect((await b.post('contact', contact(second, { name }))).location).toBe('/experts/join/skills');
    review = await b.get('/experts/join/review');
    expect(review.status).toBe(200);
    expect(review.html).not.toContain('Your email is confirmed.');
    const asked = await b.request('POST', '/experts/join/review', { action: 'submit', _csrf: wizardCsrfOf(review.html) });
    expect(asked.html).toContain(`Open the link we sent to <strong class="address">${second}</strong>`);
    expect(await Expert.count({ where: { email: second } })).toBe(0);
    expect(managersPostAbout(name)).toBeUndefined();
    // The link sent to the first address no longer opens the draft; the new one does.
    expect((await browser().get(oldLink.path)).status).toBe(404);
    const newLink = await linkIn(second, 0);
    expect(newLink.path).not.toBe(oldLink.path);
    expect((await b.get(newLink.path)).location).toBe('/experts/join/review');
    const confirmed = await b.get('/experts/join/review');
    expect(confirmed.html).toContain('Your email is confirmed.');
    const done = await b.request('POST', '/experts/join/review', { action: 'submit', _csrf: wizardCsrfOf(confirmed.html) });
    expect(done.html).toContain('Registration received');
    expect(await Expert.count({ where: { email: second } })).toBe(1);
    expect(await Expert.count({ where: { email: first } })).toBe(0);
  });

  it("a stranger typing a pending web applicant's email changes nothing of theirs without the link from their inbox", { timeout: TIMEOUT }, async () => {
    const email = newEmail();
    const name = `Vera Victim ${randomUUID().slice(0, 6)}`;
    const victim = browser();
    expect((await submitConfirmed(victim, email, (await fillIn(victim, email, { contact: { name, phone: '+41 44 111 11 11' } })).html)).html).toContain('Registration received');
    const post = await waitFor(() => managersPostAbout(name), "the managers' message", 30_000);
    const before = { blocks: JSON.stringify(post.blocks), updates: post.updates };
    const expert = await Expert.findOne({ where: { email }, rejectOnEmpty: true });
    const application = await ExpertApplication.findOne({ where: { expertId: expert.id }, rejectOnEmpty: true });
    const inboxBefore = mailsTo(email).length;

    // Straight in with her email.
    const stranger = browser();
    const strangerName = `Mallory ${randomUUID().slice(0, 6)}`;
    let review = await fillIn(stranger, email, { contact: { name: strangerName, phone: '+1 555 666 7777' }, skills: { 'categories.windows-nt': 'expert' } });
    let page = await stranger.request('POST', '/experts/join/review', { action: 'submit', _csrf: wizardCsrfOf(review.html) });
    expect(page.html).toContain('Check your email');
    // The link went to her inbox, not to the stranger.
    expect((await linkIn(email, inboxBefore)).text).toContain('If you did not apply to Helpnet, ignore this email');
    page = await stranger.request('POST', '/experts/join/review', { action: 'submit', _csrf: wizardCsrfOf(review.html) });
    expect(page.html).toContain('Check your email');

    // With a link of his own: sent to his address, it stops working once the email is hers.
    const own = newEmail();
    const other = browser();
    await fillIn(other, own, { contact: { name: strangerName } });
    const saved = await other.post('review', {}, 'save');
    expect(saved.html).toContain('We emailed you a link');
    const ownLink = await linkIn(own, 0);
    expect((await other.post('contact', contact(email, { name: strangerName }))).location).toBe('/experts/join/skills');
    expect((await other.get(ownLink.path)).status).toBe(404);
    review = await other.get('/experts/join/review');
    expect(review.html).not.toContain('Your email is confirmed.');
    page = await other.request('POST', '/experts/join/review', { action: 'submit', _csrf: wizardCsrfOf(review.html) });
    expect(page.html).toContain('Check your email');

    expect((await expert.reload()).toJSON()).toMatchObject({ name, phone: '+41 44 111 11 11' });
    expect((await application.reload()).toJSON()).toMatchObject(application.toJSON());
    expect(await ExpertApplication.count({ where: { expertId: expert.id } })).toBe(1);
    expect(await ExpertSkill.count({ where: { expertId: expert.id } })).toBe(1);
    expect({ blocks: JSON.stringify(post.blocks), updates: post.updates }).toEqual(before);
    expect(managersPostAbout(strangerName)).toBeUndefined();
  });

  it('errors from the use case go back to the step holding the field', { timeout: TIMEOUT }, async () => {
    const b = browser();
    const email = newEmail();
    const review = await fillIn(b, email);
    // The category goes away between the skills step and Submit.
    const { Category } = await import('../../src/db/models/index.ts');
    await Category.update({ active: false }, { where: { key: 'ms-exchange' } });
    try {
      const page = await b.request('POST', '/experts/join/review', { action: 'submit', _csrf: wizardCsrfOf(review.html) });
      expect(page.status).toBe(400);
      expect(page.html).toContain('<title>Error: Your skills');
      expect(summaryOf(page.html)).toEqual({ 'f-categories-windows-nt': 'Choose your level in at least one category you want to answer tickets for.' });
      expect(await ExpertApplicationDraft.count({ where: { email } })).toBe(1);
    } finally {
      await Category.update({ active: true }, { where: { key: 'ms-exchange' } });
    }
  });

  it("never says whether an email already applied or what its owner is approved for: the same page whatever the email's past", { timeout: TIMEOUT }, async () => {
    const submit = async (email: string, over: Over = {}) => {
      const b = browser();
      const review = await fillIn(b, email, over);
      const page = await submitConfirmed(b, email, review.html);
      expect(page.status).toBe(200);
      return page.html.replace(/name="_csrf" value="[^"]+"/g, '');
    };
    const webEmail = newEmail();
    const fresh = await submit(webEmail);
    // An expert in Slack, whose email someone types: the same page; nothing of theirs changes, and they hear of it by DM.
    const slackEmail = newEmail();
    const slackUser = `U0OLGA${randomUUID().slice(0, 4).toUpperCase()}`;
    const inSlack = await createQualifiedExpert('exchange-l1', 'ms-exchange', { name: 'Olga Approved', email: slackEmail, phone: '+41 1 111 11 11', slackUserId: slackUser });
    for (const skills of [{}, { 'categories.windows-nt': 'working' }] as Record<string, string>[]) expect(await submit(slackEmail, { skills })).toBe(fresh);
    expect((await inSlack.reload()).toJSON()).toMatchObject({ name: 'Olga Approved', phone: '+41 1 111 11 11' });
    expect(await ExpertApplication.count({ where: { expertId: inSlack.id } })).toBe(0);
    expect(await ExpertSkill.count({ where: { expertId: inSlack.id } })).toBe(1);
    await waitFor(() => portal.app.slack.messages.filter((m) => m.channel === slackUser && String(m.text).includes('/helpnet join')).length === 2 || undefined, 'the two DMs to the expert in Slack', 30_000);
    // A web applicant applying again (pending): the same page; approved for one, applying for it again: left out without a word.
    expect(await submit(webEmail, { skills: { 'categories.windows-nt': 'expert' } })).toBe(fresh);
    const web = await Expert.findOne({ where: { email: webEmail }, rejectOnEmpty: true });
    expect(await ExpertApplication.count({ where: { expertId: web.id } })).toBe(1);
    await ExpertApplication.update({ status: 'approved', pendingExpertId: null }, { where: { expertId: web.id } });
    await ExpertSkill.update({ status: 'approved' }, { where: { expertId: web.id } });
    expect(await submit(webEmail, { skills: { 'categories.ms-exchange': '', 'categories.windows-nt': 'expert' } })).toBe(fresh);
    expect(await ExpertApplication.count({ where: { expertId: web.id } })).toBe(1);
  });

  it('two applications with the same new email at the same instant make one expert, applied then updated', { timeout: TIMEOUT }, async () => {
    const services = portal.app.server.services;
    for (let round = 0; round < 5; round += 1) {
      const email = newEmail();
      const input: ApplicationInput = {
        name: 'Twin Applicant',
        email,
        phone: '+1 555 010 0000',
        yearsExperience: 3,
        summary: 'Three years of Windows NT desktop support at a school.',
        referees: [
          { name: 'Ref One', contact: 'one@example.com' },
          { name: 'Ref Two', contact: 'two@example.com' },
        ],
        categories: [{ key: 'windows-nt', level: 'working' }],
      };
      const outcomes = await Promise.all([applyAsExpert(services, input), applyAsExpert(services, { ...input, email: email.toUpperCase() })]);
      expect(outcomes.map((o) => o.outcome).sort()).toEqual(['applied', 'updated']);
      expect(await Expert.count({ where: { email } })).toBe(1);
      const expert = await Expert.findOne({ where: { email }, rejectOnEmpty: true });
      expect(await ExpertApplication.count({ where: { expertId: expert.id } })).toBe(1);
    }
    // Through the wizard too: two browsers submitting the same email at once.
    const email = newEmail();
    const [one, two] = [browser(), browser()];
    const reviews = await Promise.all([fillIn(one, email), fillIn(two, email)]);
    // Each confirms the email first (one link each), then both press Submit at once.
    const confirmedReviews: string[] = [];
    for (const [b, review] of [[one, reviews[0]], [two, reviews[1]]] as const) {
      const seen = mailsTo(email).length;
      expect((await b.request('POST', '/experts/join/review', { action: 'submit', _csrf: wizardCsrfOf(review.html) })).html).toContain('Check your email');
      await b.get((await linkIn(email, seen)).path);
      confirmedReviews.push((await b.get('/experts/join/review')).html);
    }
    const pages = await Promise.all([one.request('POST', '/experts/join/review', { action: 'submit', _csrf: wizardCsrfOf(confirmedReviews[0]!) }), two.request('POST', '/experts/join/review', { action: 'submit', _csrf: wizardCsrfOf(confirmedReviews[1]!) })]);
    expect(pages.map((p) => p.html.includes('Registration received'))).toEqual([true, true]);
    expect(pages.map((p) => p.status)).toEqual([200, 200]);
    expect(await Expert.count({ where: { email } })).toBe(1);
  });

  it('limits Save and exit emails and submissions per client address', { timeout: TIMEOUT }, async () => {
    const b = browser();
    const email = newEmail();
    await b.post('contact', contact(email));
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) statuses.push((await b.post('skills', skills, 'save')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const limited = await b.post('skills', skills, 'save');
    expect(limited.html).toContain('Your application is saved');
    // The answers are kept all the same.
    expect(selectedOf((await b.get('/experts/join/skills')).html, 'categories.ms-exchange')).toBe('experienced');

    // Submit's emails asking to confirm count with Save and exit's: this address has none left.
    const asked = await fillIn(b, email);
    const refused = await b.request('POST', '/experts/join/review', { action: 'submit', _csrf: wizardCsrfOf(asked.html) });
    expect(refused.status).toBe(429);
    expect(refused.html).toContain('Your answers are kept');

    // Submissions: each filled in and confirmed elsewhere, all submitted from one address.
    const submits: number[] = [];
    const c = browser();
    for (let i = 0; i < 6; i += 1) {
      const x = browser();
      const address = newEmail();
      const review = await fillIn(x, address);
      expect((await x.request('POST', '/experts/join/review', { action: 'submit', _csrf: wizardCsrfOf(review.html) })).html).toContain('Check your email');
      await c.get((await linkIn(address, 0)).path);
      const confirmed = await c.get('/experts/join/review');
      submits.push((await c.request('POST', '/experts/join/review', { action: 'submit', _csrf: wizardCsrfOf(confirmed.html) })).status);
    }
    expect(submits).toEqual([200, 200, 200, 200, 200, 429]);
  });

  it('hostile text through the wizard is kept as plain text, shown escaped, posted escaped, or refused with a clear error', { timeout: 300_000 }, async () => {
    const specials = fc.constantFrom('<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', '<!channel>', '<@U0MGR0001>', '<https://evil.example|click>', 'a\u0000b', '\uD83D', '&amp;', "' OR 1=1 --", '{{title}}');
    const hostile = fc.oneof(specials, fc.string({ unit: 'binary', maxLength: 60 }), fc.array(specials, { minLength: 1, maxLength: 4 }).map((a) => a.join(' ')));
    await fc.assert(
      fc.asyncProperty(hostile, hostile, hostile, async (name, summaryPart, referee) => {
        const b = browser();
        const email = newEmail();
        const page = await b.post('contact', contact(email, { name }));
        const cleanName = toPlainText(name).trim();
        if (page.status === 400) {
          expect(cleanName === '' || cleanName.length > 200).toBe(true);
          expect(summaryOf(page.html)['f-name']).toBeDefined();
          return;
        }
        expect(page.status).toBe(303);
        await b.post('skills', skills);
        const summary = `Twenty characters at least: ${summaryPart}`;
        expect((await b.post('experience', { ...experience, summary, 'employment.0.description': summaryPart })).status).toBe(303);
        const refs = await b.post('references', { ...references, 'referees.0.name': referee });
        if (refs.status === 400) {
          expect(toPlainText(referee).trim()).toBe('');
          return;
        }
        const review = await b.get('/experts/join/review');
        expect(review.html).not.toMatch(/<script>|<img/);
        expect(review.html).not.toContain('\u0000');
        const done = await submitConfirmed(b, email, review.html);
        expect(done.status).toBe(200);
        const expert = await Expert.findOne({ where: { email }, rejectOnEmpty: true });
        expect(expert.name).toBe(cleanName);
        expect(expert.name).not.toContain('\u0000');
        const application = await ExpertApplication.findOne({ where: { expertId: expert.id }, rejectOnEmpty: true });
        expect(application.summary).toBe(toPlainText(summary).trim());
        const post = await waitFor(() => portal.app.slack.messages.find((m) => m.channel === MANAGERS_CHANNEL && JSON.stringify(m.blocks ?? '').includes(`"value":"${application.id}"`)), "the managers' message", 30_000);
        for (const text of JSON.stringify(post.blocks).match(/"text":"(?:[^"\\]|\\.)*"/g) ?? []) {
          expect(text).not.toMatch(/<!channel>|<@U0MGR0001>|<https:\/\/evil|<script>/);
        }
      }),
      { numRuns: 12 },
    );
  });
});

describe(`the expert sign-up wizard with mail off on ${TEST_ENGINE}`, () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ env: { SMTP_URL: '', PUBLIC_URL: 'http://helpnet.test' } });
  }, TIMEOUT);
  afterAll(async () => {
    await app?.close();
  });

  it('Save and exit says mail is off and shows nothing secret; the draft stays in the browser', { timeout: TIMEOUT }, async () => {
    const b = new Browser(() => app.url);
    const email = newEmail();
    await b.post('contact', contact(email));
    const page = await b.post('skills', skills, 'save');
    expect(page.status).toBe(200);
    expect(page.html).toContain('Email is switched off on this Helpnet server');
    expect(page.html).not.toMatch(/resume\/|[A-Za-z0-9_-]{43}/);
    expect((await b.get('/experts/join')).location).toBe('/experts/join/skills');
  });

  it('Submit applies directly: nobody can confirm an email without mail', { timeout: TIMEOUT }, async () => {
    const b = new Browser(() => app.url);
    const email = newEmail();
    const review = await fillIn(b, email);
    expect(review.html).not.toContain('Your email is confirmed');
    const done = await b.request('POST', '/experts/join/review', { action: 'submit', _csrf: wizardCsrfOf(review.html) });
    expect(done.status).toBe(200);
    expect(done.html).toContain('Registration received');
    expect(await Expert.count({ where: { email } })).toBe(1);
    expect(await ExpertApplicationDraft.count({ where: { email } })).toBe(0);
  });
});
