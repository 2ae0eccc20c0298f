import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { Ticket } from '../../src/db/models/index.ts';
import { slackPeople } from '../relay/support.ts';
import { checkAccessibility, horizontalOverflow, screenshot, useBrowser, type ViewportName } from '../support/browser.ts';
import { createQualifiedExpert } from '../support/experts.ts';
import { TEST_ENGINE } from '../support/test-database.ts';
import { waitFor } from '../support/wait-for.ts';
import { usePortalApp } from '../support/portal-app.ts';

const TIMEOUT = 240_000;
/** What crosses the job queue (mail, Slack posts, the relay) on a loaded machine. */
const QUEUE_WAIT = 30_000;
const PASSWORD = 'correct horse battery';
const DOC_IMAGES = resolve(dirname(fileURLToPath(import.meta.url)), '../../docs/images');

describe(`the customer portal's ticket flow in Chromium on ${TEST_ENGINE}`, () => {
  const session = useBrowser();
  const portal = usePortalApp();

  /** A step's page as it is now: a screenshot, axe, and nothing wider than the screen. */
  async function step(page: Page, name: string) {
    await screenshot(page, name);
    await checkAccessibility(page);
    expect(await horizontalOverflow(page), `${name} fits the width`).toEqual([]);
  }

  async function submit(page: Page, selector: string) {
    const [response] = await Promise.all([page.waitForNavigation(), page.click(selector)]);
    return response;
  }

  describe.each<ViewportName>(['desktop', 'phone'])('at %s width', (viewport) => {
    it(
      'signs up, confirms, logs in, files a ticket, follows the expert’s reply live, answers, sees the survey appear, answers it, and finds the ticket closed',
      async () => {
        const page = await session.newPage(viewport);
        const email = `flow.${viewport}.${Date.now()}@customer.example`;

        // Sign up.
        await page.goto(`${portal.app.url}/signup`);
        const fields: Record<string, string> = { firstName: 'Fiona', lastName: 'Flow', company: 'Flow & Co', email, address: '5 Mill Lane', city: 'Leeds', zip: 'LS1 4AP', country: 'United Kingdom', password: PASSWORD, passwordAgain: PASSWORD };
        for (const [name, value] of Object.entries(fields)) await page.fill(`#f-${name}`, value);
        expect((await submit(page, 'form[action="/signup"] button[type="submit"]'))?.status()).toBe(200);
        await expect(page.locator('h1').textContent()).resolves.toBe('Check your email');
        await step(page, `${viewport}-1-signed-up`);

        // The link from the email.
        const mail = await waitFor(() => portal.smtp.mails.find((m) => m.to.includes(email) && m.subject.includes('Confirm')), 'the confirmation email', QUEUE_WAIT);
        const link = /http:\/\/helpnet\.test(\/confirm\/[A-Za-z0-9_-]{43})/.exec(mail.text)![1]!;
        expect((await page.goto(`${portal.app.url}${link}`))?.status()).toBe(200);
        await step(page, `${viewport}-2-confirmed`);

        // Log in: the tickets page.
        await page.goto(`${portal.app.url}/login`);
        await page.fill('#f-email', email);
        await page.fill('#f-password', PASSWORD);
        await submit(page, 'form[action="/login"] button[type="submit"]');
        expect(new URL(page.url()).pathname).toBe('/tickets');
        await expect(page.title()).resolves.toBe('Your tickets · Helpnet');
        await expect(page.locator('main').textContent()).resolves.toContain('You have no open tickets.');
        await step(page, `${viewport}-3-tickets`);

        // File a ticket.
        await submit(page, 'a.button[href="/tickets/new"]');
        await expect(page.title()).resolves.toBe('File a new ticket · Helpnet');
        await step(page, `${viewport}-4-new-ticket`);
        await page.selectOption('#f-category', 'ms-exchange');
        await page.fill('#f-description', 'Since Monday Outlook shows “Disconnected” every few minutes.');
        await submit(page, 'form[action="/tickets/new"] button[type="submit"]');
        const publicId = /\/tickets\/(HN-\d+)$/.exec(page.url())![1]!;
        const ticketId = Number(publicId.slice(3));
        await expect(page.title()).resolves.toBe(`Ticket ${publicId} · Helpnet`);
        await expect(page.locator('#ticket-status').textContent()).resolves.toBe('Waiting for an expert to take it');
        await step(page, `${viewport}-5-filed`);

        // From here on the page is never reloaded: a mark set now would be gone if it were.
        await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
        const notReloaded = () => page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded === true);

        // An expert books it and replies in Slack; the open page shows both.
        const people = slackPeople(portal.app);
        const expert = await createQualifiedExpert('exchange-l1', 'ms-exchange', { name: `Ezra ${viewport}` });
        await people.book(expert, ticketId);
        const thread = await people.expertThread(expert, ticketId);
        await people.dm(expert.slackUserId!, 'Please turn off Cached Exchange Mode and restart Outlook.', { threadTs: thread.ts });
        await expect.poll(() => page.locator('#messages li.from-expert .message-text').allTextContents(), { timeout: QUEUE_WAIT }).toEqual(['Please turn off Cached Exchange Mode and restart Outlook.']);
        await expect.poll(() => page.locator('#ticket-status').textContent(), { timeout: QUEUE_WAIT }).toBe('An expert is working on it');
        await expect.poll(() => page.locator('#ticket-expert').textContent(), { timeout: QUEUE_WAIT }).toMatch(/^Expert [A-Z][a-z]+ [A-Z][a-z]+$/);
        expect(await page.locator('#withdraw').isVisible()).toBe(false);
        expect(await notReloaded()).toBe(true);
        await step(page, `${viewport}-6-expert-replied`);
        if (process.env.UPDATE_DOC_IMAGES === '1') {
          mkdirSync(DOC_IMAGES, { recursive: true });
          const shot = await screenshot(page, `${viewport}-doc-ticket-page`);
          copyFileSync(shot, resolve(DOC_IMAGES, viewport === 'desktop' ? 'ticket-page.png' : 'ticket-page-phone.png'));
        }

        // The customer answers from the page; the answer reaches the expert's thread.
        await page.fill('#reply-text', 'That fixed it, thank you!');
        await page.click('#reply-submit');
        await expect.poll(() => page.locator('#messages li.from-you .message-text').allTextContents(), { timeout: QUEUE_WAIT }).toEqual(['That fixed it, thank you!']);
        await expect.poll(() => page.locator('#reply-text').inputValue()).toBe('');
        await waitFor(() => people.replies(thread).some((m) => JSON.stringify(m).includes('That fixed it, thank you!')), 'the answer in the expert’s thread', QUEUE_WAIT);
        expect(await notReloaded()).toBe(true);
        await step(page, `${viewport}-7-answered`);

        // The expert resolves in Slack; the survey's link appears on the page.
        await portal.app.slackRequests.viewSubmission({ user_id: expert.slackUserId!, callback_id: 'ticket.resolve', private_metadata: publicId, values: { notes: { value: { type: 'plain_text_input', value: 'Cached mode was corrupt.' } } } });
        await expect.poll(() => page.locator('#survey').isVisible(), { timeout: QUEUE_WAIT }).toBe(true);
        await expect.poll(() => page.locator('#ticket-status').textContent(), { timeout: QUEUE_WAIT }).toBe('Resolved: please tell us how it went');
        expect(await page.locator('#survey-link').getAttribute('href')).toMatch(/^\/survey\/[A-Za-z0-9_-]{43}$/);
        expect(await notReloaded()).toBe(true);
        await step(page, `${viewport}-8-resolved`);

        // The survey, from the page's link.
        await submit(page, '#survey-link');
        await expect(page.title()).resolves.toBe(`Survey for ticket ${publicId} · Helpnet`);
        await page.check('#solved-yes');
        await page.check('#timeliness-5');
        await page.check('#helpfulness-5');
        await step(page, `${viewport}-9-survey`);
        expect((await submit(page, 'form button[type="submit"]'))?.status()).toBe(200);
        await expect(page.locator('h1').textContent()).resolves.toBe('Thank you!');

        // The ticket is closed, on its page and in the list.
        await waitFor(async () => (await Ticket.findByPk(ticketId))?.status === 'closed', 'the ticket closed', QUEUE_WAIT);
        await page.goto(`${portal.app.url}/tickets/${publicId}`);
        await expect(page.locator('#ticket-status').textContent()).resolves.toBe('Closed');
        expect(await page.locator('#survey').isVisible()).toBe(false);
        expect(await page.locator('#reply-form').count()).toBe(0);
        await step(page, `${viewport}-10-closed`);
        await page.goto(`${portal.app.url}/tickets`);
        await expect(page.locator('.ticket-table').textContent()).resolves.toContain('Closed');
        await step(page, `${viewport}-11-history`);
      },
      TIMEOUT,
    );
  });
});
