import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkAccessibility, horizontalOverflow, screenshot, tabTo, useBrowser, type ViewportName } from '../support/browser.ts';
import { startTestApp, type TestApp } from '../support/start-test-app.ts';
import { TEST_ENGINE } from '../support/test-database.ts';

const TIMEOUT = 90_000;

/**
 * The public page `/` as issue 15 describes it: "I need help" and "I am an IT expert", how it
 * works, who can join, FAQ.
 */
describe(`home page in Chromium on ${TEST_ENGINE}`, () => {
  const session = useBrowser();
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  describe.each<ViewportName>(['desktop', 'phone'])('at %s width', (viewport) => {
    it(
      'offers both ways in, says how it works, who can join and answers questions; reachable with the keyboard, visible focus, axe passes',
      async () => {
        const page = await session.newPage(viewport);
        const res = await page.goto(`${app.url}/`);
        expect(res?.status()).toBe(200);
        expect(await page.title()).toMatch(/\S.*Helpnet|Helpnet/);
        await expect(page.locator('h1').count()).resolves.toBe(1);

        const help = page.getByRole('link', { name: /I need help/i });
        const expert = page.getByRole('link', { name: /I am an IT expert/i });
        await expect(help.count()).resolves.toBeGreaterThan(0);
        await expect(expert.count()).resolves.toBeGreaterThan(0);
        for (const heading of [/how it works/i, /who can join/i, /FAQ|questions/i]) {
          await expect(page.getByRole('heading', { name: heading }).count(), String(heading)).resolves.toBeGreaterThan(0);
        }
        expect(await horizontalOverflow(page), 'the page fits the width').toEqual([]);
        await screenshot(page, `${viewport}-1-home`);
        await checkAccessibility(page);

        // Every stop in tab order shows its focus, and both ways in are among them.
        const focusable = await page.locator('a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])').count();
        const reached = new Set<string>();
        for (let i = 0; i < Math.min(focusable, 40); i += 1) {
          await tabTo(page);
          reached.add(await page.evaluate(() => document.activeElement?.textContent?.trim().replace(/\s+/g, ' ') ?? ''));
          if (i === 0) await screenshot(page, `${viewport}-2-first-focus`);
        }
        expect([...reached].some((t) => /I need help/i.test(t)), 'Tab reaches "I need help"').toBe(true);
        expect([...reached].some((t) => /I am an IT expert/i.test(t)), 'Tab reaches "I am an IT expert"').toBe(true);
      },
      TIMEOUT,
    );
  });
});
