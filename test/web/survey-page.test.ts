import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Survey, Ticket, TicketAlias, type Expert } from '../../src/db/models/index.ts';
import { bookTicket } from '../../src/domain/booking/book-ticket.ts';
import { resolveTicket } from '../../src/domain/booking/resolve-ticket.ts';
import { toPlainText } from '../../src/lib/plain-text.ts';
import { createQualifiedExpert } from '../support/experts.ts';
import { startTestApp, type TestApp } from '../support/start-test-app.ts';
import { TEST_ENGINE } from '../support/test-database.ts';
import { fileWidgetTicket } from '../support/tickets.ts';

const EXPERT = { name: 'Priya Raman', email: 'priya.raman@experts.example', slackUserId: 'U0PRIYA001' };

/** What a page answered: status, headers and the HTML. */
interface Page {
  status: number;
  headers: Headers;
  html: string;
}

describe(`survey page on ${TEST_ENGINE}`, () => {
  let app: TestApp;
  let expert: Expert;
  beforeAll(async () => {
    app = await startTestApp();
    expert = await createQualifiedExpert('exchange-l1', 'ms-exchange', EXPERT);
  });
  afterAll(async () => {
    await app.close();
  });

  /** A widget ticket booked by the expert and resolved: its survey waits, and the link's token. */
  async function openSurvey() {
    const services = app.server.services;
    const ticket = await fileWidgetTicket(services);
    expect(await bookTicket(services, { ticketId: ticket.id, expertId: expert.id })).toBe('booked');
    expect(await resolveTicket(services, { ticketId: ticket.id, expertId: expert.id, notes: 'Reset the Outlook profile.' })).toBe('resolved');
    const survey = await Survey.findOne({ where: { ticketId: ticket.id }, rejectOnEmpty: true });
    const alias = (await TicketAlias.findOne({ where: { ticketId: ticket.id, side: 'expert' }, rejectOnEmpty: true })).name;
    return { ticketId: ticket.id, surveyId: survey.id, token: services.surveyLinks.tokenFor(survey.tokenSalt), alias };
  }

  const get = async (path: string): Promise<Page> => {
    const res = await fetch(`${app.url}${path}`);
    return { status: res.status, headers: res.headers, html: await res.text() };
  };
  const post = async (path: string, body: string | Record<string, string>, contentType = 'application/x-www-form-urlencoded'): Promise<Page> => {
    const res = await fetch(`${app.url}${path}`, { method: 'POST', headers: { 'content-type': contentType }, body: typeof body === 'string' ? body : new URLSearchParams(body).toString() });
    return { status: res.status, headers: res.headers, html: await res.text() };
  };
  const valid = { solved: 'yes', timeliness: '4', helpfulness: '5', comment: 'Quick and clear, thank you.' };

  const expectSecurityHeaders = (page: Page) => {
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("form-action 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('content-type')).toMatch(/^text\/html; charset=utf-8/);
    expect(page.headers.get('x-powered-by')).toBeNull();
    // No script of any kind, and no inline style, on any page.
    expect(page.html).not.toMatch(/<script|\sstyle=|<style|\son[a-z]+=/i);
    expect(page.html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
  };
  const checked = (html: string, name: string) => [...html.matchAll(new RegExp(`<input[^>]*name="${name}" value="([^"]*)"[^>]*\\bchecked\\b`, 'g'))].map((m) => m[1]);

  it('shows the form: the ticket as HN-n, the expert by alias and nothing else about them', async () => {
    const s = await openSurvey();
    const page = await get(`/survey/${s.token}`);
    expect(page.status).toBe(200);
    expectSecurityHeaders(page);
    expect(page.html).toContain(`HN-${s.ticketId}`);
    expect(page.html).toContain(`Expert ${s.alias}`);
    for (const secret of [EXPERT.name, 'Priya', 'Raman', EXPERT.email, EXPERT.slackUserId, `expert ${expert.id}`]) expect(page.html).not.toContain(secret);
    // Native, labelled inputs in fieldsets with legends; the comment's limit said and enforced.
    expect(page.html.match(/<fieldset/g)).toHaveLength(3);
    expect(page.html.match(/<legend>/g)).toHaveLength(3);
    expect(page.html.match(/type="radio"/g)).toHaveLength(12);
    for (const id of ['solved-yes', 'solved-no', 'timeliness-1', 'timeliness-5', 'helpfulness-3', 'comment']) expect(page.html).toContain(`<label class="${id === 'comment' ? 'question-label' : 'choice'}" for="${id}">`);
    expect(page.html).toContain('maxlength="2000"');
    expect(page.html).not.toContain('aria-invalid');
    expect(checked(page.html, 'solved')).toEqual([]);

    const css = await fetch(`${app.url}/survey.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
    expect(css.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await css.text()).toContain('.choice');
  });

  it('takes a valid answer: thank-you page, survey answered, ticket closed; the link then says "already answered" and changes nothing', async () => {
    const s = await openSurvey();
    const thanks = await post(`/survey/${s.token}`, valid);
    expect(thanks.status).toBe(200);
    expectSecurityHeaders(thanks);
    expect(thanks.html).toContain('Thank you');
    expect(thanks.html).toContain(`HN-${s.ticketId}`);
    expect((await Ticket.findByPk(s.ticketId))!.status).toBe('closed');
    const survey = await Survey.findByPk(s.surveyId);
    expect(survey).toMatchObject({ status: 'answered', solved: true, timeliness: 4, helpfulness: 5, comment: 'Quick and clear, thank you.' });
    expect(survey!.answeredAt).toBeInstanceOf(Date);

    const again = await post(`/survey/${s.token}`, { solved: 'no', timeliness: '1', helpfulness: '1', comment: 'Changed my mind.' });
    expect(again.status).toBe(200);
    expectSecurityHeaders(again);
    expect(again.html).toContain('already answered');
    expect(again.html).not.toContain('<form');
    const after = await Survey.findByPk(s.surveyId);
    expect(after).toMatchObject({ status: 'answered', solved: true, timeliness: 4, helpfulness: 5, comment: 'Quick and clear, thank you.' });
    expect(after!.answeredAt!.getTime()).toBe(survey!.answeredAt!.getTime());

    // Even an invalid post to an answered survey is "already answered", not a form to fix.
    expect((await post(`/survey/${s.token}`, { solved: 'maybe' })).html).toContain('already answered');
    const view = await get(`/survey/${s.token}`);
    expect(view.status).toBe(200);
    expect(view.html).toContain('already answered');
    expect(view.html).not.toContain('<form');
  });

  it('records a "not solved" answer without a comment as no comment', async () => {
    const s = await openSurvey();
    expect((await post(`/survey/${s.token}`, { solved: 'no', timeliness: '1', helpfulness: '2', comment: '   ' })).status).toBe(200);
    expect(await Survey.findByPk(s.surveyId)).toMatchObject({ status: 'answered', solved: false, timeliness: 1, helpfulness: 2, comment: null });
    // The comment field may be left out altogether.
    const t = await openSurvey();
    expect((await post(`/survey/${t.token}`, { solved: 'yes', timeliness: '5', helpfulness: '5' })).status).toBe(200);
    expect(await Survey.findByPk(t.surveyId)).toMatchObject({ status: 'answered', comment: null });
  });

  it('takes one of two answers sent at once; the other hears "already answered"', async () => {
    const s = await openSurvey();
    const pages = await Promise.all([post(`/survey/${s.token}`, valid), post(`/survey/${s.token}`, { solved: 'no', timeliness: '1', helpfulness: '1' })]);
    expect(pages.map((p) => p.status)).toEqual([200, 200]);
    expect(pages.filter((p) => p.html.includes('Your answer about ticket'))).toHaveLength(1);
    expect(pages.filter((p) => p.html.includes('already answered'))).toHaveLength(1);
    const survey = (await Survey.findByPk(s.surveyId))!;
    const winner = pages[0]!.html.includes('Your answer about ticket') ? { solved: true, timeliness: 4, helpfulness: 5 } : { solved: false, timeliness: 1, helpfulness: 1 };
    expect(survey).toMatchObject({ status: 'answered', ...winner });
  });

  it('says a survey the defaults filled is answered, on GET and POST, and changes nothing', async () => {
    const s = await openSurvey();
    await Survey.update({ status: 'defaulted', solved: true, timeliness: 3, helpfulness: 3 }, { where: { id: s.surveyId } });
    for (const page of [await get(`/survey/${s.token}`), await post(`/survey/${s.token}`, { solved: 'no', timeliness: '1', helpfulness: '1' })]) {
      expect(page.status).toBe(200);
      expect(page.html).toContain('already answered');
      expect(page.html).toContain('closed as resolved');
      expect(page.html).not.toContain('<form');
    }
    expect(await Survey.findByPk(s.surveyId)).toMatchObject({ status: 'defaulted', solved: true, timeliness: 3, helpfulness: 3 });
  });

  it('answers a forged, malformed or missing token with a 404 page', async () => {
    const forged = randomBytes(32).toString('base64url');
    expect(forged).toHaveLength(43);
    for (const token of [forged, 'abc', 'x'.repeat(5000), encodeURIComponent('<script>alert(1)</script>'), '%E0%A4%A', '%00']) {
      for (const page of [await get(`/survey/${token}`), await post(`/survey/${token}`, valid)]) {
        expect(page.status, token.slice(0, 20)).toBe(404);
        expectSecurityHeaders(page);
        expect(page.html).toContain('cannot find this survey');
        expect(page.html).not.toContain('<script>');
      }
    }
    for (const path of ['/survey', '/survey/', `/survey/${forged}/more`]) {
      for (const page of [await get(path), await post(path, valid)]) {
        expect(page.status, path).toBe(404);
        expectSecurityHeaders(page);
        expect(page.html).toContain('cannot find this survey');
      }
    }
  });

  it('refuses missing and out-of-range values with 400: a message by each field, the input kept, the survey still pending', async () => {
    const s = await openSurvey();
    const long = 'y'.repeat(2001);
    const cases: Array<{ body: Record<string, string>; bad: string[] }> = [
      { body: { ...valid, timeliness: '0' }, bad: ['timeliness'] },
      { body: { ...valid, timeliness: '6' }, bad: ['timeliness'] },
      { body: { ...valid, timeliness: 'x' }, bad: ['timeliness'] },
      { body: { ...valid, timeliness: '4.0' }, bad: ['timeliness'] },
      { body: { solved: 'no', timeliness: '2', comment: 'It still fails.' }, bad: ['helpfulness'] },
      { body: { timeliness: '3', helpfulness: '3', comment: '' }, bad: ['solved'] },
      { body: { ...valid, solved: 'maybe' }, bad: ['solved'] },
      { body: { ...valid, comment: long }, bad: ['comment'] },
      { body: {}, bad: ['solved', 'timeliness', 'helpfulness'] },
    ];
    for (const { body, bad } of cases) {
      const page = await post(`/survey/${s.token}`, body);
      const label = JSON.stringify(body).slice(0, 80);
      expect(page.status, label).toBe(400);
      expectSecurityHeaders(page);
      expect(page.html).toContain('<title>Error: ');
      for (const field of ['solved', 'timeliness', 'helpfulness', 'comment']) {
        const error = new RegExp(`<p class="field-error" id="${field}-error">`);
        if (bad.includes(field)) {
          expect(page.html, `${label} ${field}`).toMatch(error);
          expect(page.html, `${label} ${field}`).toMatch(new RegExp(`aria-invalid="true" aria-describedby="[^"]*${field}-error"`));
        } else {
          expect(page.html, `${label} ${field}`).not.toMatch(error);
        }
      }
      // What they chose is checked again, and their comment is back in the box.
      for (const field of ['solved', 'timeliness', 'helpfulness'] as const) {
        const sent = body[field];
        expect(checked(page.html, field), `${label} ${field}`).toEqual(sent && ['yes', 'no', '1', '2', '3', '4', '5'].includes(sent) ? [sent] : []);
      }
      expect(page.html).toContain(`name="comment" rows="5" maxlength="2000"`);
      if (body.comment) expect(page.html).toContain(`>\n${body.comment}</textarea>`);
    }
    expect((await post(`/survey/${s.token}`, { ...valid, timeliness: '9' })).html).toContain('Choose how quickly your ticket was handled, from 1 to 5.');
    expect((await post(`/survey/${s.token}`, { ...valid, comment: long })).html).toContain('Please keep your comment to 2,000 characters or fewer (it has 2,001).');
    expect(await Survey.findByPk(s.surveyId)).toMatchObject({ status: 'pending', solved: null, timeliness: null, comment: null });
    expect((await Ticket.findByPk(s.ticketId))!.status).toBe('close_pending');

    // Exactly 2,000 characters is fine, line breaks sent as CR LF counting once.
    const atLimit = 'z'.repeat(1000) + '\r\n' + 'z'.repeat(999);
    expect((await post(`/survey/${s.token}`, { ...valid, comment: atLimit })).status).toBe(200);
    expect((await Survey.findByPk(s.surveyId))!.comment).toBe('z'.repeat(1000) + '\n' + 'z'.repeat(999));
  });

  it('shows HTML in a comment as text, and stores it as written', async () => {
    const s = await openSurvey();
    const comment = '<script>alert(1)</script><b>x</b> "quoted" & \'single\'';
    const refused = await post(`/survey/${s.token}`, { ...valid, timeliness: '0', comment });
    expect(refused.status).toBe(400);
    expect(refused.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;x&lt;/b&gt; &quot;quoted&quot; &amp; &#x27;single&#x27;</textarea>');
    expect(refused.html).toContain('aria-describedby="comment-hint">\n&lt;script&gt;');
    expect(refused.html).not.toContain('<script>');
    expect(refused.html).not.toContain('<b>x');
    expect((await post(`/survey/${s.token}`, { ...valid, comment })).status).toBe(200);
    expect((await Survey.findByPk(s.surveyId))!.comment).toBe(comment);
  });

  it('answers bodies that are not a form, repeated fields and bodies over the limit without a 5xx', async () => {
    const s = await openSurvey();
    const path = `/survey/${s.token}`;
    // Not a form: read as no answer at all.
    for (const [body, type] of [
      ['{"solved":"yes","timeliness":"4","helpfulness":"5"}', 'application/json'],
      ['\u0000\u0001 binary', 'application/octet-stream'],
      ['solved=yes&timeliness=4&helpfulness=5', 'text/plain'],
      ['', 'application/x-www-form-urlencoded'],
      ['%%%&&&===%E0%A4%A', 'application/x-www-form-urlencoded'],
    ] as const) {
      const page = await post(path, body, type);
      expect(page.status, type).toBe(400);
      expect(page.html).toContain('Tell us whether your problem was solved.');
    }
    // A form in a charset the parser does not take is refused as such (415), as a page.
    const latin = await post(path, 'solved=yes', 'application/x-www-form-urlencoded; charset=koi8-r');
    expect(latin.status).toBe(415);
    expect(latin.headers.get('content-type')).toMatch(/^text\/html/);
    // A field sent twice is no answer for that field.
    const twice = await post(path, 'solved=yes&solved=no&timeliness=4&helpfulness=5');
    expect(twice.status).toBe(400);
    expect(twice.html).toMatch(/id="solved-error"/);
    // Far beyond any answer: 413, a page.
    const huge = await post(path, { ...valid, comment: 'x'.repeat(40_000) });
    expect(huge.status).toBe(413);
    expectSecurityHeaders(huge);
    expect(huge.html).toContain('too long');
    // The largest valid comment, every character percent-encoded as three bytes, fits.
    expect((await post(path, { ...valid, comment: '中'.repeat(2000) })).status).toBe(200);
    expect((await Survey.findByPk(s.surveyId))!.comment).toBe('中'.repeat(2000));
  });

  it('never answers 5xx to any Unicode comment (NUL, lone surrogates, every plane)', async () => {
    const runs = 20;
    // Each run closes a ticket: one survey for each, opened up front, a few at a time.
    const surveys: Array<Awaited<ReturnType<typeof openSurvey>>> = [];
    for (let i = 0; i < runs; i += 5) surveys.push(...(await Promise.all(Array.from({ length: 5 }, () => openSurvey()))));
    let next = 0;
    const specials = fc.constantFrom('before\u0000after', '\u0000', 'half an emoji \uD83D here', '\uDE00 a low half first', 'עברית \u200F mixed \u202E reversed', 'tabs\tand\r\nwindows\rlines', '😀'.repeat(1000), '\uFEFF\u200B<>&"\'`=');
    const hostile = fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ unit: 'grapheme', maxLength: 200 }), specials);
    await fc.assert(
      fc.asyncProperty(hostile, async (comment) => {
        const s = surveys[next++ % runs]!;
        const page = await post(`/survey/${s.token}`, { ...valid, comment });
        expect(page.status).toBeLessThan(500);
        if (next <= runs) {
          expect(page.status).toBe(200);
          const stored = (await Survey.findByPk(s.surveyId))!;
          expect(stored.status).toBe('answered');
          // Stored as plain text: no NUL, no lone surrogate.
          expect(stored.comment ?? '').toBe(toPlainText(stored.comment ?? ''));
        }
        // The same comment refused for another field comes back in the box, never breaking the page.
        const refused = await post(`/survey/${surveys[0]!.token}`, { ...valid, timeliness: '0', comment });
        expect(refused.status).toBeLessThan(500);
      }),
      { numRuns: runs },
    );
    // Twenty tickets filed, booked, resolved and closed: more than the default timeout when the whole suite shares the machine.
  }, 120_000);
});
