/// <reference lib="dom" />
// The functions passed to page.evaluate() run in the page, with its DOM.
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Frame, type Page } from 'playwright-core';
import { afterAll, afterEach, expect } from 'vitest';

/**
 * Browser tests: Debian's Chromium driven by playwright-core (not Playwright's test runner;
 * these run in vitest like every other test). One browser per test file, a fresh context
 * and page per test. Screenshots go to test-results/screenshots/ (ignored by git).
 */

/** Debian's package; `.ci/run` installs it when it is missing. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const SCREENSHOT_DIR = join(ROOT, 'test-results', 'screenshots');

/**
 * The widths the pages are tried at: a laptop and a phone (375 × 812, the issue's phone).
 * `bypassCSP` lets checkAccessibility() add axe-core's script to pages whose
 * Content-Security-Policy allows no script at all; the route tests check the headers.
 */
export const VIEWPORTS = {
  desktop: { viewport: { width: 1280, height: 800 } },
  phone: { viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
} satisfies Record<string, BrowserContextOptions>;
export type ViewportName = keyof typeof VIEWPORTS;

/**
 * Starts Chromium headless. Playwright already passes --no-sandbox (its `chromiumSandbox`
 * option is off by default), which Chromium needs when run as root in a container; /dev/shm
 * is not assumed small, so no other flag is needed.
 */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true });
}

export interface BrowserSession {
  /** The file's browser, once a page has been opened. */
  readonly browser: Browser;
  /** A new page at that width in a context of its own, closed after the test. */
  newPage(viewport: ViewportName): Promise<Page>;
}

/**
 * Hooks for a browser test file: one Chromium for the file (started with its first page,
 * closed after the file), and pages whose contexts close after each test, so no cookie or
 * storage leaks between tests.
 */
export function useBrowser(): BrowserSession {
  let browser: Promise<Browser> | undefined;
  let started: Browser | undefined;
  const contexts: BrowserContext[] = [];
  // Started by the first page a test asks for, so a file whose tests all skip starts none.
  const launch = () =>
    (browser ??= launchBrowser().then((b) => {
      started = b;
      return b;
    }));
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });
  afterAll(async () => {
    if (browser) await (await browser).close();
  });
  return {
    get browser() {
      if (!started) throw new Error('no page has been opened yet');
      return started;
    },
    async newPage(viewport) {
      const context = await (await launch()).newContext({ ...VIEWPORTS[viewport], bypassCSP: true, reducedMotion: 'reduce' });
      contexts.push(context);
      return context.newPage();
    },
  };
}

const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80) || 'page';

/**
 * Saves a full-page screenshot to test-results/screenshots/<test file>/<name>.png (the test
 * file's path under test/, without `.test.ts`) and returns the path.
 */
export async function screenshot(page: Page, name: string): Promise<string> {
  const testPath = expect.getState().testPath ?? 'unknown';
  const file = relative(join(ROOT, 'test'), testPath).replace(/\.test\.ts$/, '');
  const dir = join(SCREENSHOT_DIR, dirname(file), basename(file));
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${slug(name)}.png`);
  await page.screenshot({ path, fullPage: true, animations: 'disabled' });
  return path;
}

let axeSource: string | undefined;
const axeScript = () => (axeSource ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8'));

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: Array<{ target: unknown[]; failureSummary?: string }>;
}

/** The impacts that fail a test (moderate and minor ones are only printed). */
const FAILING_IMPACTS = new Set(['serious', 'critical']);

/** Readable lines for a list of axe violations: rule, impact, what to do, and each element. */
export function describeViolations(violations: AxeViolation[]): string {
  return violations
    .map((v) => {
      const nodes = v.nodes.map((n) => `    at ${n.target.map(String).join(' ')}${n.failureSummary ? `\n      ${n.failureSummary.replace(/\n/g, '\n      ')}` : ''}`);
      return `  [${v.impact ?? 'unknown'}] ${v.id}: ${v.help} (${v.helpUrl})\n${nodes.join('\n')}`;
    })
    .join('\n');
}

/**
 * Runs axe-core (WCAG 2.x A and AA rules plus best practices) on the page as it is now and
 * fails the test on any serious or critical violation, listing each with the elements it
 * found. The script is added to the page's DOM (the context bypasses its CSP for this).
 * Given a frame (an iframe's document, e.g. an embedded panel from another origin), it checks
 * that document; a page's own check leaves its iframes out, as their documents are checked
 * on their own.
 */
export async function checkAccessibility(page: Page | Frame): Promise<void> {
  const hasAxe = await page.evaluate(() => 'axe' in window);
  if (!hasAxe) await page.addScriptTag({ content: axeScript() });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { iframes: false, runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] }, resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl, nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })) }));
  });
  const failing = violations.filter((v) => FAILING_IMPACTS.has(v.impact ?? ''));
  const minor = violations.filter((v) => !FAILING_IMPACTS.has(v.impact ?? ''));
  if (minor.length > 0) console.log(`axe on ${page.url().replace(/\/survey\/[^/?#]+/, '/survey/…')}: moderate or minor\n${describeViolations(minor)}`);
  expect(failing, `axe found serious or critical violations on ${await page.title()}:\n${describeViolations(failing)}`).toEqual([]);
}

/** What shows that the focused element has focus: its outline and box-shadow as computed. */
export async function focusIndicator(page: Page): Promise<{ tag: string; id: string; outline: string; boxShadow: string; visible: boolean }> {
  return page.evaluate(() => {
    // Into open shadow roots (a widget's launcher), down to the element that has focus.
    let el = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    if (!el || el === document.body) return { tag: 'body', id: '', outline: 'none', boxShadow: 'none', visible: false };
    const style = getComputedStyle(el);
    const outline = `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}`;
    const hasOutline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    const hasShadow = style.boxShadow !== 'none' && style.boxShadow !== '';
    return { tag: el.tagName.toLowerCase(), id: el.id, outline, boxShadow: style.boxShadow, visible: hasOutline || hasShadow };
  });
}

/** Presses Tab and returns what has focus then, failing if its focus is not visible. */
export async function tabTo(page: Page, key: 'Tab' | 'Shift+Tab' = 'Tab') {
  await page.keyboard.press(key);
  const focus = await focusIndicator(page);
  expect(focus.visible, `focus on <${focus.tag} id="${focus.id}"> is not visible (outline ${focus.outline}, box-shadow ${focus.boxShadow})`).toBe(true);
  return focus;
}

/**
 * Presses Tab until the focused element matches `selector` (at most `maxStops` times), each
 * stop with visible focus; returns what was focused on the way, the match last. Tests start
 * from what they are about, whatever the layout puts before it (skip link, navigation).
 */
export async function tabUntil(page: Page, selector: string, maxStops = 25): Promise<string[]> {
  const stops: string[] = [];
  for (let i = 0; i < maxStops; i += 1) {
    const focus = await tabTo(page);
    stops.push(focus.id ? `#${focus.id}` : focus.tag);
    const matched = await page.evaluate((s) => {
      let el = document.activeElement;
      while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
      return el?.matches(s) ?? false;
    }, selector);
    if (matched) return stops;
  }
  throw new Error(`Tab did not reach ${selector} in ${maxStops} stops: ${stops.join(' → ')}`);
}

/**
 * What sticks out sideways: the page when it is wider than the viewport (a phone would scroll
 * sideways), and each element of `<main>` that reaches into main's side padding. Empty when
 * the layout fits.
 */
export function horizontalOverflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const root = document.documentElement;
    if (root.scrollWidth > window.innerWidth) found.push(`the page is ${root.scrollWidth}px wide in a ${window.innerWidth}px viewport`);
    const main = document.querySelector('main');
    if (!main) return found;
    const rect = main.getBoundingClientRect();
    const style = getComputedStyle(main);
    const box = { left: rect.left + parseFloat(style.paddingLeft), right: rect.right - parseFloat(style.paddingRight) };
    const name = (el: Element) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.classList.length ? `.${Array.from(el.classList).join('.')}` : ''}`;
    for (const el of Array.from(main.querySelectorAll('*'))) {
      const r = el.getBoundingClientRect();
      if (r.width <= 1 || r.height <= 1) continue; // visually hidden text
      if (r.left < box.left - 0.5 || r.right > box.right + 0.5) found.push(`${name(el)} spans ${Math.round(r.left)}–${Math.round(r.right)}px, main ${Math.round(box.left)}–${Math.round(box.right)}px`);
    }
    return found;
  });
}
