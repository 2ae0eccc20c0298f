import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ticket } from '../../src/db/models/index.ts';
import { checkAccessibility, horizontalOverflow, screenshot, useBrowser } from '../support/browser.ts';
import { FakeSmtp } from '../support/fake-smtp.ts';
import { startTestApp, type TestApp } from '../support/start-test-app.ts';
import { TEST_ENGINE } from '../support/test-database.ts';
import { waitFor } from '../support/wait-for.ts';
import { sandboxRouting } from '../sandbox/sandbox-routing.ts';

const TIMEOUT = 300_000;
/** What crosses the job queue (Slack posts, the relay) on a loaded machine. */
const QUEUE_WAIT = 30_000;
const PASSWORD = 'correct horse battery';
const EXPERT = 'U0SBXE001';
const DOC_IMAGES = resolve(dirname(fileURLToPath(import.meta.url)), '../../docs/images');

describe(`the Slack sandbox in Chromium on ${TEST_ENGINE}`, () => {
  const session = useBrowser();
  let app: TestApp;
  let smtp: FakeSmtp;
  beforeAll(async () => {
    smtp = await FakeSmtp.start();
    app = await startTestApp({
      routing: sandboxRouting(),
      env: { SLACK_BOT_TOKEN: '', SLACK_SIGNING_SECRET: '', HELPNET_SANDBOX: '1', SMTP_URL: smtp.url, MAIL_FROM: 'help@helpnet.test', PUBLIC_URL: 'http://helpnet.test' },
    });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await smtp?.stop();
  });

  async function step(page: Page, name: string) {
    await screenshot(page, name);
    await checkAccessibility(page);
    const overflow = await horizontalOverflow(page);
    if (overflow.length && process.env.SBX_DEBUG) console.log(name, overflow);
    expect(overflow, `${name} fits the width`).toEqual([]);
  }

  async function submit(page: Page, selector: string) {
    const [response] = await Promise.all([page.waitForNavigation(), page.click(selector)]);
    return response;
  }

  it(
    'a ticket filed in the portal appears in the sandbox channel; the expert books it and answers in the DM thread; the customer sees the answer; resolve, survey, and the manager’s Home',
    async () => {
      // The customer: signs up, confirms, logs in and files a ticket in the portal.
      const customer = await session.newPage('desktop');
      const email = `sandbox.${Date.now()}@customer.example`;
      await customer.goto(`${app.url}/signup`);
      const fields: Record<string, string> = { firstName: 'Sam', lastName: 'Sandbox', company: 'Box & Co', email, address: '1 Sand Lane', city: 'Leeds', zip: 'LS1 4AP', country: 'United Kingdom', password: PASSWORD, passwordAgain: PASSWORD };
      for (const [name, value] of Object.entries(fields)) await customer.fill(`#f-${name}`, value);
      await submit(customer, 'form[action="/signup"] button[type="submit"]');
      const mail = await waitFor(() => smtp.mails.find((m) => m.to.includes(email) && m.subject.includes('Confirm')), 'the confirmation email', QUEUE_WAIT);
      await customer.goto(`${app.url}${/http:\/\/helpnet\.test(\/confirm\/[A-Za-z0-9_-]{43})/.exec(mail.text)![1]!}`);
      await customer.goto(`${app.url}/login`);
      await customer.fill('#f-email', email);
      await customer.fill('#f-password', PASSWORD);
      await submit(customer, 'form[action="/login"] button[type="submit"]');
      await customer.goto(`${app.url}/tickets/new`);
      await customer.selectOption('#f-category', 'ms-exchange');
      await customer.fill('#f-description', 'Outlook says “Disconnected” every few minutes <since Monday>.');
      await submit(customer, 'form[action="/tickets/new"] button[type="submit"]');
      const publicId = /\/tickets\/(HN-\d+)$/.exec(customer.url())![1]!;
      const ticketId = Number(publicId.slice(3));
      await screenshot(customer, 'sandbox-1-portal-filed');

      // The expert, in the sandbox: the ticket in the group's channel, with Book.
      const expert = await session.newPage('desktop');
      await expert.goto(`${app.url}/sandbox?as=${EXPERT}`);
      await expect(expert.title()).resolves.toBe('Sandbox: Ada Okafor · Helpnet');
      const book = expert.locator(`#channels button.sbx-action[data-action-id="ticket.book"][data-value="${publicId}"]`);
      await book.waitFor({ timeout: QUEUE_WAIT });
      await expect(expert.locator('#channels').textContent()).resolves.toContain('Outlook says “Disconnected” every few minutes <since Monday>.');
      await step(expert, 'sandbox-2-channel');
      await book.click();
      await waitFor(async () => (await Ticket.findByPk(ticketId))?.status === 'booked', 'the ticket booked', QUEUE_WAIT);

      // The booking thread in the expert's DM, with a reply box; the page updates without a reload.
      const thread = expert.locator('#dm article.sbx-message', { hasText: 'The customer knows you as' }).filter({ hasText: publicId });
      await thread.waitFor({ timeout: QUEUE_WAIT });
      await step(expert, 'sandbox-3-booked');
      await thread.locator('textarea.sbx-say-text').fill('Please turn off Cached Exchange Mode and restart Outlook.');
      await thread.locator('form.sbx-say button[type="submit"]').click();
      await expect.poll(() => thread.locator('.sbx-thread').textContent(), { timeout: QUEUE_WAIT }).toContain('Please turn off Cached Exchange Mode and restart Outlook.');
      await step(expert, 'sandbox-4-replied');
      if (process.env.UPDATE_DOC_IMAGES === '1') {
        mkdirSync(DOC_IMAGES, { recursive: true });
        // The top of the page, as a newcomer first sees it: the README shows it.
        await expert.screenshot({ path: resolve(DOC_IMAGES, 'sandbox.png'), fullPage: false });
      }

      // The customer sees the expert's answer on the ticket page.
      await expect.poll(() => customer.locator('#messages li.from-expert .message-text').allTextContents(), { timeout: QUEUE_WAIT }).toEqual(['Please turn off Cached Exchange Mode and restart Outlook.']);
      await screenshot(customer, 'sandbox-5-portal-answer');

      // The expert resolves from the thread: the modal is a form, submitted as Slack would.
      await thread.locator('button.sbx-action', { hasText: 'Resolve' }).click();
      const modal = expert.locator('#modal form.sbx-modal-form');
      await modal.waitFor({ timeout: QUEUE_WAIT });
      await modal.locator('textarea').fill('Cached mode was corrupt; rebuilt the OST.');
      await step(expert, 'sandbox-6-resolve-modal');
      await modal.locator('button[type="submit"]').click();
      await waitFor(async () => (await Ticket.findByPk(ticketId))?.status === 'close_pending', 'the ticket resolved', QUEUE_WAIT);
      await expect.poll(() => expert.locator('#modal').isHidden(), { timeout: QUEUE_WAIT }).toBe(true);

      // The customer answers the survey from the ticket page.
      await expect.poll(() => customer.locator('#survey').isVisible(), { timeout: QUEUE_WAIT }).toBe(true);
      await submit(customer, '#survey-link');
      await customer.check('#solved-yes');
      await customer.check('#timeliness-5');
      await customer.check('#helpfulness-5');
      await submit(customer, 'form button[type="submit"]');
      await waitFor(async () => (await Ticket.findByPk(ticketId))?.status === 'closed', 'the ticket closed', QUEUE_WAIT);
      await screenshot(customer, 'sandbox-7-survey-answered');

      // The manager's App Home, with the leaderboard.
      const manager = await session.newPage('desktop');
      await manager.goto(`${app.url}/sandbox?as=U0SBXMGR1`);
      await manager.click('#open-home');
      await expect.poll(() => manager.locator('#home').textContent(), { timeout: QUEUE_WAIT }).toContain('Ada Okafor');
      await step(manager, 'sandbox-8-manager-home');
    },
    TIMEOUT,
  );

  it('fits a phone and passes axe there', async () => {
    const page = await session.newPage('phone');
    await page.goto(`${app.url}/sandbox?as=${EXPERT}`);
    await page.locator('#channels section.sbx-channel').first().waitFor({ timeout: QUEUE_WAIT });
    await step(page, 'sandbox-phone');
  }, 60_000);
});
