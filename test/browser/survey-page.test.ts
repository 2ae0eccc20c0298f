import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Survey, type Expert } from '../../src/db/models/index.ts';
import { bookTicket } from '../../src/domain/booking/book-ticket.ts';
import { resolveTicket } from '../../src/domain/booking/resolve-ticket.ts';
import { checkAccessibility, horizontalOverflow, screenshot, tabTo, tabUntil, useBrowser, type ViewportName } from '../support/browser.ts';
import { createQualifiedExpert } from '../support/experts.ts';
import { startTestApp, type TestApp } from '../support/start-test-app.ts';
import { TEST_ENGINE } from '../support/test-database.ts';
import { fileWidgetTicket } from '../support/tickets.ts';

const TIMEOUT = 90_000;

describe(`survey page in Chromium on ${TEST_ENGINE}`, () => {
  const session = useBrowser();
  let app: TestApp;
  let expert: Expert;
  beforeAll(async () => {
    app = await startTestApp();
    expert = await createQualifiedExpert('exchange-l1', 'ms-exchange', { name: 'Priya Raman', email: 'priya.raman@experts.example', slackUserId: 'U0PRIYA001' });
  });
  afterAll(async () => {
    await app?.close();
  });

  /** A widget ticket booked and resolved: the survey link its customer was sent. */
  async function surveyLink() {
    const services = app.server.services;
    const ticket = await fileWidgetTicket(services);
    expect(await bookTicket(services, { ticketId: ticket.id, expertId: expert.id })).toBe('booked');
    expect(await resolveTicket(services, { ticketId: ticket.id, expertId: expert.id, notes: 'Reset the Outlook profile.' })).toBe('resolved');
    const survey = await Survey.findOne({ where: { ticketId: ticket.id }, rejectOnEmpty: true });
    return { ticketId: ticket.id, surveyId: survey.id, url: `${app.url}/survey/${services.surveyLinks.tokenFor(survey.tokenSalt)}` };
  }

  const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '');

  describe.each<ViewportName>(['desktop', 'phone'])('at %s width', (viewport) => {
    it(
      'is answered with the keyboard alone: visible focus in tab order, an error summary linked to the fields, then the thanks page; axe passes on each page',
      async () => {
        const link = await surveyLink();
        const page = await session.newPage(viewport);

        // The form.
        const opened = await page.goto(link.url);
        expect(opened?.status()).toBe(200);
        await expect(page.title()).resolves.toBe(`Survey for ticket HN-${link.ticketId} · Helpnet`);
        expect(await horizontalOverflow(page), 'the form fits the width').toEqual([]);
        await screenshot(page, `${viewport}-1-form`);
        await checkAccessibility(page);

        // Tab order: whatever the layout puts first, then one stop per radio group, the comment
        // and the button; focus always shows.
        await tabUntil(page, '#solved-yes');
        const order = ['#solved-yes', ...(await tabUntil(page, 'form button[type="submit"]', 4))];
        expect(order).toEqual(['#solved-yes', '#timeliness-1', '#helpfulness-1', '#comment', 'button']);
        await screenshot(page, `${viewport}-2-focus-on-send`);

        // Sent empty: 400, the error summary first, each message a link to its field.
        const [refused] = await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
        expect(refused?.status()).toBe(400);
        await expect(page.title()).resolves.toMatch(/^Error: Survey for ticket/);
        const summary = page.locator('.error-summary');
        await expect(summary.getAttribute('role')).resolves.toBe('alert');
        const links = await summary.locator('a').evaluateAll((as) => as.map((a) => ({ text: a.textContent ?? '', href: a.getAttribute('href') ?? '' })));
        expect(links.map((l) => l.href)).toEqual(['#solved-yes', '#timeliness-1', '#helpfulness-1']);
        for (const l of links) {
          const target = page.locator(l.href);
          await expect(target.getAttribute('aria-invalid')).resolves.toBe('true');
          // The field's own message says the same as the summary.
          const describedBy = (await target.getAttribute('aria-describedby')) ?? '';
          const messages = await Promise.all(describedBy.split(' ').map((id) => page.locator(`#${id}`).textContent()));
          expect(messages.join(' '), l.href).toContain(l.text);
        }
        expect(await horizontalOverflow(page), 'the refused form fits the width').toEqual([]);
        await screenshot(page, `${viewport}-3-errors`);
        await checkAccessibility(page);

        // The summary's first link, followed with the keyboard, puts focus on its field.
        await tabUntil(page, '.error-summary a');
        await page.keyboard.press('Enter');
        await expect.poll(() => focusedId(page)).toBe('solved-yes');

        // Answer with the keyboard: Space picks a radio, arrows move within a group.
        await page.keyboard.press('Space');
        await tabTo(page);
        expect(await focusedId(page)).toBe('timeliness-1');
        for (let i = 0; i < 3; i += 1) await page.keyboard.press('ArrowRight');
        expect((await tabTo(page)).id).toBe('helpfulness-1');
        for (let i = 0; i < 4; i += 1) await page.keyboard.press('ArrowRight');
        expect((await tabTo(page)).id).toBe('comment');
        await page.keyboard.type('Quick and clear, thank you.');
        expect(await page.locator('input[name="solved"]:checked').getAttribute('value')).toBe('yes');
        expect(await page.locator('input[name="timeliness"]:checked').getAttribute('value')).toBe('4');
        expect(await page.locator('input[name="helpfulness"]:checked').getAttribute('value')).toBe('5');
        await tabTo(page);
        await screenshot(page, `${viewport}-4-filled`);

        const [thanked] = await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
        expect(thanked?.status()).toBe(200);
        await expect(page.title()).resolves.toBe(`Thank you · ticket HN-${link.ticketId} · Helpnet`);
        await expect(page.locator('h1').textContent()).resolves.toBe('Thank you!');
        await screenshot(page, `${viewport}-5-thanks`);
        await checkAccessibility(page);
        const survey = await Survey.findByPk(link.surveyId, { rejectOnEmpty: true });
        expect({ status: survey.status, solved: survey.solved, timeliness: survey.timeliness, helpfulness: survey.helpfulness, comment: survey.comment }).toEqual({
          status: 'answered',
          solved: true,
          timeliness: 4,
          helpfulness: 5,
          comment: 'Quick and clear, thank you.',
        });

        // The link opened again, and a link that matches no survey: pages that pass axe too.
        await page.goto(link.url);
        await expect(page.title()).resolves.toMatch(/^Survey already answered/);
        await screenshot(page, `${viewport}-6-already-answered`);
        await checkAccessibility(page);
        const missing = await page.goto(`${app.url}/survey/${'A'.repeat(43)}`);
        expect(missing?.status()).toBe(404);
        await screenshot(page, `${viewport}-7-not-found`);
        await checkAccessibility(page);
      },
      TIMEOUT,
    );
  });
});
