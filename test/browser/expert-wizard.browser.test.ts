import type { Page } from 'playwright-core';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Expert, ExpertApplicationDraft } from '../../src/db/models/index.ts';
import { checkAccessibility, horizontalOverflow, screenshot, tabUntil, useBrowser, type ViewportName } from '../support/browser.ts';
import { TEST_ENGINE } from '../support/test-database.ts';
import { waitFor } from '../support/wait-for.ts';
import { usePortalApp } from '../support/portal-app.ts';

const TIMEOUT = 180_000;
const MANAGERS_CHANNEL = 'C0MGRS001';

/**
 * The expert sign-up wizard in Chromium, by keyboard alone: from the home page's "I am an IT
 * expert" through contact, skills and experience, Save and exit, back in the same browser to
 * references and review, Submit (which asks to confirm the email), the emailed link opened in
 * another browser, Submit again, to the confirmation page. Each page fits the width, passes
 * axe and is saved as a screenshot.
 */
describe(`expert sign-up wizard in Chromium on ${TEST_ENGINE}`, () => {
  const session = useBrowser();
  const portal = usePortalApp();

  /** Presses Enter on what has focus and waits for the page it leads to; its status. */
  const enter = async (page: Page) => {
    const [response] = await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    return response?.status();
  };
  /** Tabs to a field and types into it. */
  const typeInto = async (page: Page, selector: string, text: string) => {
    await tabUntil(page, selector, 40);
    await page.keyboard.type(text);
  };
  /** The page as a person would judge it: fits the width, axe passes; a screenshot. */
  const check = async (page: Page, name: string) => {
    expect(await horizontalOverflow(page), `${name} fits the width`).toEqual([]);
    await screenshot(page, name);
    await checkAccessibility(page);
  };

  describe.each<ViewportName>(['desktop', 'phone'])('at %s width', (viewport) => {
    it(
      'goes from the home page through every step by keyboard, saves and comes back, confirms the email from the emailed link in another browser, and submits',
      async () => {
        const email = `wizard.${viewport}.${randomUUID().slice(0, 6)}@expert.example`;
        const name = `Ada ${viewport === 'desktop' ? 'Desk' : 'Phone'} Wizard`;
        const page = await session.newPage(viewport);
        await page.goto(`${portal.app.url}/`);
        await tabUntil(page, 'a[href="/experts/join"]');
        expect(await enter(page)).toBe(200);
        await expect(page.title()).resolves.toBe('Your contact details (step 1 of 5) · Join as an IT expert · Helpnet');
        await check(page, `${viewport}-1-contact`);

        // Next with nothing filled in: the errors, summarised and linked to the fields.
        await tabUntil(page, 'button[value="next"]:not(.default-action)', 40);
        expect(await enter(page)).toBe(400);
        await expect(page.title()).resolves.toMatch(/^Error: Your contact details/);
        expect(await page.locator('.error-summary a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))).toEqual(['#f-name', '#f-email', '#f-phone']);
        await check(page, `${viewport}-2-contact-errors`);

        await typeInto(page, '#f-name', name);
        await typeInto(page, '#f-email', email);
        await typeInto(page, '#f-phone', '+41 44 123 45 67');
        await tabUntil(page, 'button[value="next"]:not(.default-action)');
        expect(await enter(page)).toBe(200);
        await expect(page.title()).resolves.toMatch(/^Your skills \(step 2 of 5\)/);
        await check(page, `${viewport}-3-skills`);

        // A select changes with the arrow keys.
        await tabUntil(page, '#f-categories-ms-exchange', 40);
        await page.keyboard.press('ArrowDown');
        await page.keyboard.press('ArrowDown');
        await expect(page.locator('#f-categories-ms-exchange').inputValue()).resolves.toBe('experienced');
        await tabUntil(page, 'button[value="next"]:not(.default-action)');
        expect(await enter(page)).toBe(200);
        await expect(page.title()).resolves.toMatch(/^Your experience \(step 3 of 5\)/);

        await typeInto(page, '#f-employment-0-employer', 'Acme Hosting');
        await typeInto(page, '#f-employment-0-role', 'Exchange administrator');
        await typeInto(page, '#f-employment-0-from', '2015-03');
        await tabUntil(page, '#f-employment-0-current');
        await page.keyboard.press('Space');
        await typeInto(page, '#f-employment-0-description', 'Ran forty Exchange servers.');
        // Add another job: a second group of fields, focus lands on it.
        await tabUntil(page, 'button[value="add-job"]');
        expect(await enter(page)).toBe(200);
        await expect(page.locator('legend', { hasText: 'Job 2' }).count()).resolves.toBe(1);
        await typeInto(page, '#f-employment-1-employer', 'Beta Mail');
        await typeInto(page, '#f-employment-1-role', 'Helpdesk');
        await typeInto(page, '#f-employment-1-from', '2010-01');
        await typeInto(page, '#f-employment-1-to', '2015-02');
        await typeInto(page, '#f-yearsExperience', '11');
        await typeInto(page, '#f-summary', 'Eleven years of Exchange administration for hosting companies.');
        await check(page, `${viewport}-4-experience`);

        // Save and exit: the email with the link.
        await tabUntil(page, 'button[value="save"]');
        expect(await enter(page)).toBe(200);
        await expect(page.locator('h1').textContent()).resolves.toBe('We emailed you a link');
        await check(page, `${viewport}-5-saved`);
        const linkIn = async (n: number) => {
          const mail = await waitFor(() => portal.smtp.mails.filter((m) => m.to.includes(email))[n], `email ${n + 1} with the link`, 60_000);
          const path = /http:\/\/helpnet\.test(\/experts\/join\/resume\/[A-Za-z0-9_-]{43})/.exec(mail.text)?.[1];
          expect(path, mail.text).toBeDefined();
          return { path: path!, subject: mail.subject };
        };
        const saved = await linkIn(0);

        // Back to the application in this browser: the step reached, as it was left.
        await tabUntil(page, 'main a[href="/experts/join"]', 40);
        expect(await enter(page)).toBe(200);
        expect(new URL(page.url()).pathname).toBe('/experts/join/experience');
        await expect(page.locator('#f-employment-1-employer').inputValue()).resolves.toBe('Beta Mail');
        await expect(page.locator('#f-employment-0-current').isChecked()).resolves.toBe(true);
        await expect(page.locator('#f-summary').inputValue()).resolves.toBe('Eleven years of Exchange administration for hosting companies.');
        await tabUntil(page, 'button[value="next"]:not(.default-action)', 60);
        expect(await enter(page)).toBe(200);
        await expect(page.title()).resolves.toMatch(/^Your references \(step 4 of 5\)/);

        await typeInto(page, '#f-referees-0-name', 'Rita Referee');
        await typeInto(page, '#f-referees-0-contact', 'rita@example.com');
        await typeInto(page, '#f-referees-1-name', 'Rob Referee');
        await typeInto(page, '#f-referees-1-contact', '+41 44 765 43 21');
        await check(page, `${viewport}-6-references`);
        await tabUntil(page, 'button[value="next"]:not(.default-action)');
        expect(await enter(page)).toBe(200);
        await expect(page.title()).resolves.toMatch(/^Check and send \(step 5 of 5\)/);
        await expect(page.locator('main').textContent()).resolves.toContain('MS Exchange: Experienced');
        await check(page, `${viewport}-7-review`);

        // Submit: the email is not confirmed yet, so the link comes again, asking to confirm it.
        await tabUntil(page, 'button[value="submit"]', 40);
        expect(await enter(page)).toBe(200);
        await expect(page.locator('h1').textContent()).resolves.toBe('Check your email');
        await expect(page.locator('main').textContent()).resolves.toContain(`Open the link we sent to ${email} to send your application; your answers are kept.`);
        await check(page, `${viewport}-8-check-email`);
        expect(await Expert.count({ where: { email } })).toBe(0);
        const confirm = await linkIn(1);
        expect(confirm.subject).toBe('Confirm your email to send your Helpnet expert application');
        expect(confirm.path).toBe(saved.path);

        // Another browser (another device) opens the link: the review step, the email confirmed.
        const other = await session.newPage(viewport);
        const resumed = await other.goto(`${portal.app.url}${confirm.path}`);
        expect(resumed?.status()).toBe(200);
        expect(new URL(other.url()).pathname).toBe('/experts/join/review');
        await expect(other.locator('.notice').textContent()).resolves.toBe('Your email is confirmed. Press Submit to send your application.');
        await expect(other.locator('main').textContent()).resolves.toContain('Beta Mail');
        await check(other, `${viewport}-9-confirmed`);

        await tabUntil(other, 'button[value="submit"]', 40);
        expect(await enter(other)).toBe(200);
        await expect(other.locator('h1').textContent()).resolves.toBe('Registration received');
        await expect(other.locator('main').textContent()).resolves.toContain('Your qualifications will be assessed before any ticket is assigned to you.');
        await check(other, `${viewport}-10-received`);

        const expert = await Expert.findOne({ where: { email }, rejectOnEmpty: true });
        expect(expert.name).toBe(name);
        expect(await ExpertApplicationDraft.count({ where: { email } })).toBe(0);
        await waitFor(() => portal.app.slack.messages.find((m) => m.channel === MANAGERS_CHANNEL && JSON.stringify(m.blocks ?? '').includes(name)), "the managers' message", 60_000);
      },
      TIMEOUT,
    );
  });
});
