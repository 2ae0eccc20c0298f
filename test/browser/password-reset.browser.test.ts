import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkAccessibility, horizontalOverflow, screenshot, tabUntil, useBrowser, type ViewportName } from '../support/browser.ts';
import { PortalClient } from '../support/portal-client.ts';
import { TEST_ENGINE } from '../support/test-database.ts';
import { waitFor } from '../support/wait-for.ts';
import { usePortalApp } from '../support/portal-app.ts';

const TIMEOUT = 120_000;
const PASSWORD = 'correct horse battery';

/** A customer who forgot their password: from the login page to the emailed link to signed in, with the keyboard. */
describe(`password reset in Chromium on ${TEST_ENGINE}`, () => {
  const session = useBrowser();
  const portal = usePortalApp();

  describe.each<ViewportName>(['desktop', 'phone'])('at %s width', (viewport) => {
    it(
      'forgot → email → new password → signed in; every page fits, keeps focus visible and passes axe',
      async () => {
        const email = `forgot.${randomUUID().slice(0, 8)}@customer.example`;
        const signup = await new PortalClient(() => portal.app.url).submit('/signup', '/signup', {
          firstName: 'Amara',
          lastName: 'Osei',
          email,
          address: '7 Mill Road',
          city: 'Leeds',
          zip: 'LS1 1AA',
          country: 'United Kingdom',
          password: PASSWORD,
          passwordAgain: PASSWORD,
        });
        expect(signup.status).toBe(200);

        const page = await session.newPage(viewport);
        await page.goto(`${portal.app.url}/login`);
        await tabUntil(page, 'a[href="/password/forgot"]', 30);
        await page.keyboard.press('Enter');
        await page.waitForURL(/\/password\/forgot$/);
        expect(await page.title()).toBe('Reset your password · Helpnet');
        expect(await horizontalOverflow(page)).toEqual([]);
        await screenshot(page, `${viewport}-1-forgot`);
        await checkAccessibility(page);

        await tabUntil(page, '#f-email');
        await page.keyboard.type(email);
        await page.keyboard.press('Enter');
        await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Check your email');
        expect(await horizontalOverflow(page)).toEqual([]);
        await screenshot(page, `${viewport}-2-sent`);
        await checkAccessibility(page);

        const mail = await waitFor(() => portal.smtp.mails.find((m) => m.to.includes(email) && m.subject === 'Reset your Helpnet password'), 'the reset email', 30_000);
        const path = /http:\/\/helpnet\.test(\/password\/reset\/[A-Za-z0-9_-]{43})/.exec(mail.text)![1]!;
        await page.goto(`${portal.app.url}${path}`);
        expect(await page.title()).toBe('Choose a new password · Helpnet');
        await screenshot(page, `${viewport}-3-reset-form`);
        await checkAccessibility(page);

        // Two different passwords: the errors, linked from the summary, pass axe too.
        await tabUntil(page, '#f-newPassword');
        await page.keyboard.type('a brand new secret');
        await tabUntil(page, '#f-newPasswordAgain');
        await page.keyboard.type('not the same one');
        await page.keyboard.press('Enter');
        await expect.poll(() => page.title()).toBe('Error: Choose a new password · Helpnet');
        await expect(page.locator('.error-summary a[href="#f-newPasswordAgain"]').count()).resolves.toBe(1);
        expect(await horizontalOverflow(page)).toEqual([]);
        await screenshot(page, `${viewport}-4-reset-errors`);
        await checkAccessibility(page);

        await tabUntil(page, '#f-newPassword');
        await page.keyboard.type('a brand new secret');
        await tabUntil(page, '#f-newPasswordAgain');
        await page.keyboard.type('a brand new secret');
        await page.keyboard.press('Enter');
        await page.waitForURL(/\/profile\?saved=password$/);
        await expect(page.getByRole('status').textContent()).resolves.toBe('Your password is changed.');
        await expect(page.getByRole('button', { name: 'Log out' }).count()).resolves.toBe(1);
        await screenshot(page, `${viewport}-5-signed-in`);
        await checkAccessibility(page);
      },
      TIMEOUT,
    );
  });
});
