import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQualifiedExpert } from '../support/experts.ts';
import { startTestApp, type TestApp } from '../support/start-test-app.ts';
import { TEST_ENGINE } from '../support/test-database.ts';
import { testRouting } from '../support/test-routing.ts';
import { waitFor } from '../support/wait-for.ts';
import { slackPeople } from '../relay/support.ts';

const LISTED = 'https://shop.example.com';
const UNLISTED = 'https://evil.example.net';
const PUBLIC = new URL('../../src/web/public/', import.meta.url);

/** The Content-Security-Policy's directives by name. */
function csp(header: string | null): Map<string, string[]> {
  return new Map(
    (header ?? '')
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...values]) => [name!, values]),
  );
}

describe(`the embeddable widget on ${TEST_ENGINE}`, () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  }, 90_000);
  afterAll(async () => {
    await app.close();
  });

  it('serves /widget.js: small, as JavaScript any site may load, briefly cached with an ETag, for a year at its versioned URL', async () => {
    const res = await fetch(`${app.url}/widget.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/javascript; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    const etag = res.headers.get('etag')!;
    expect(etag).toMatch(/^"[0-9a-f]{16}"$/);
    const body = Buffer.from(await res.arrayBuffer());
    expect(body.equals(readFileSync(new URL('widget.js', PUBLIC)))).toBe(true);
    expect(gzipSync(body).length).toBeLessThanOrEqual(15 * 1024);

    const again = await fetch(`${app.url}/widget.js`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    const pinned = await fetch(`${app.url}/widget.js?v=${etag.slice(1, -1)}`);
    expect(pinned.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const stale = await fetch(`${app.url}/widget.js?v=0000000000000000`);
    expect(stale.headers.get('cache-control')).toBe('public, max-age=300');
  }, 90_000);

  it('serves the panel framed only by the listed origins, with a strict CSP and versioned script and style', async () => {
    const res = await fetch(`${app.url}/widget/frame?category=ms-exchange`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('x-frame-options')).toBeNull();
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    const policy = csp(res.headers.get('content-security-policy'));
    expect(policy.get('frame-ancestors')).toEqual([LISTED]);
    expect(policy.get('default-src')).toEqual(["'none'"]);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('style-src')).toEqual(["'self'"]);
    expect(policy.get('connect-src')).toEqual(["'self'"]);
    const html = await res.text();
    expect(html).toContain('data-category="ms-exchange"');
    // No inline script or style: every script has a src, and no style attribute or element.
    expect(html.match(/<script\b[^>]*>/g)?.every((tag) => / src="/.test(tag))).toBe(true);
    expect(html).not.toMatch(/<style|style="/);
    // Every input, select and textarea has a label.
    const ids = [...html.matchAll(/<(?:input|select|textarea)\b[^>]*\bid="([^"]+)"/g)].map((m) => m[1]);
    expect(ids.length).toBeGreaterThan(4);
    for (const id of ids) expect(html).toContain(`<label for="${id}"`);

    // (Handlebars writes = as &#x3D; in attributes; a browser reads it back as =.)
    const decoded = html.replaceAll('&#x3D;', '=');
    const script = decoded.match(/src="(frame\.js\?v=[0-9a-f]{16})"/)![1]!;
    const style = decoded.match(/href="(frame\.css\?v=[0-9a-f]{16})"/)![1]!;
    const js = await fetch(`${app.url}/widget/${script}`);
    expect(js.status).toBe(200);
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(js.headers.get('content-type')).toBe('application/javascript; charset=utf-8');
    const css = await fetch(`${app.url}/widget/${style}`);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(css.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  }, 90_000);

  it('lets only listed origins use the API from a browser: preflight and actual requests', async () => {
    const preflight = (origin: string, path = '/api/widget/tickets') =>
      fetch(`${app.url}${path}`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, idempotency-key, authorization' } });
    const ok = await preflight(LISTED);
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(LISTED);
    expect(ok.headers.get('access-control-allow-methods')).toContain('POST');
    expect(ok.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('idempotency-key');
    expect(ok.headers.get('vary')).toMatch(/origin/i);
    for (const origin of [UNLISTED, 'http://shop.example.com', 'https://shop.example.com:8443', 'null']) {
      const refused = await preflight(origin);
      expect(refused.status).toBe(403);
      expect(refused.headers.get('access-control-allow-origin')).toBeNull();
      expect(refused.headers.get('access-control-allow-methods')).toBeNull();
    }
    expect((await preflight(UNLISTED, '/api/widget/tickets/HN-1/messages')).status).toBe(403);

    const categories = (origin: string) => fetch(`${app.url}/api/widget/categories`, { headers: { origin } });
    expect((await categories(LISTED)).headers.get('access-control-allow-origin')).toBe(LISTED);
    const unread = await categories(UNLISTED);
    expect(unread.headers.get('access-control-allow-origin')).toBeNull();
    expect(unread.headers.get('vary')).toMatch(/origin/i);

    const file = (origin: string, n: number) =>
      fetch(`${app.url}/api/widget/tickets`, {
        method: 'POST',
        headers: { origin, 'content-type': 'application/json', 'x-forwarded-for': `10.71.0.${n}` },
        body: JSON.stringify({ name: 'Cora Cors', email: 'cora@customer.example', category: 'ms-exchange', description: 'Outlook asks for my password all day long.' }),
      });
    const listed = await file(LISTED, 1);
    expect(listed.status).toBe(201);
    expect(listed.headers.get('access-control-allow-origin')).toBe(LISTED);
    expect(listed.headers.get('access-control-expose-headers')).toBe('Retry-After');
    // A browser would have stopped at the preflight; sent anyway, the answer carries no CORS headers, so no page can read it.
    const unlisted = await file(UNLISTED, 2);
    expect(unlisted.headers.get('access-control-allow-origin')).toBeNull();
  }, 90_000);

  it('files a ticket and follows the conversation as the panel does: same-origin, with an Idempotency-Key, then polling with the token', async () => {
    const own = new URL(app.url).origin;
    const categories = (await (await fetch(`${app.url}/api/widget/categories`)).json()) as { categories: { key: string; name: string }[] };
    expect(categories.categories.map((c) => c.key)).toContain('ms-exchange');
    const body = { name: 'Wilma Widget', email: 'wilma@customer.example', category: 'ms-exchange', description: 'My shared mailbox vanished from Outlook this morning.' };
    const send = () =>
      fetch(`${app.url}/api/widget/tickets`, {
        method: 'POST',
        headers: { origin: own, accept: 'application/json', 'content-type': 'application/json', 'idempotency-key': 'a1b2c3d4e5f60718293a4b5c6d7e8f90', 'x-forwarded-for': '10.72.0.1' },
        body: JSON.stringify(body),
      });
    const filed = await send();
    expect(filed.status).toBe(201);
    const { ticket, token } = (await filed.json()) as { ticket: string; token: string };
    // A retry after a lost answer (the panel keeps its key until the form changes) gets the same ticket and token.
    expect(await (await send()).json()).toMatchObject({ ticket, token, duplicate: true });

    const messages = `${app.url}/api/widget/tickets/${ticket}/messages`;
    const auth = { authorization: `Bearer ${token}` };
    const poll = async (after = 0) => (await (await fetch(`${messages}${after ? `?after=${after}` : ''}`, { headers: auth })).json()) as { status: string; expert: string | null; messages: { id: number; from: string; name: string; text: string }[] };
    expect(await poll()).toMatchObject({ status: expect.any(String), expert: null, messages: [] });

    const people = slackPeople(app);
    const expert = await createQualifiedExpert('exchange-l1', 'ms-exchange', { name: 'Ezra Expert' });
    const ticketId = Number(ticket.slice(3));
    await people.book(expert, ticketId);
    const thread = await people.expertThread(expert, ticketId);
    await people.dm(expert.slackUserId!, 'Try removing and re-adding the mailbox.', { threadTs: thread.ts });
    const reply = await waitFor(async () => (await poll()).messages.find((m) => m.from === 'expert'), 'the expert’s reply in the panel');
    expect(reply.text).toBe('Try removing and re-adding the mailbox.');
    expect((await poll()).expert).toBe(reply.name);

    const answered = await fetch(messages, { method: 'POST', headers: { ...auth, origin: own, 'content-type': 'application/json', 'idempotency-key': 'f0e1d2c3b4a5968778695a4b3c2d1e0f', 'x-forwarded-for': '10.72.0.2' }, body: JSON.stringify({ text: 'That worked, thank you!' }) });
    expect(answered.status).toBe(201);
    const newer = await poll(reply.id);
    expect(newer.messages.map((m) => [m.from, m.text])).toContainEqual(['you', 'That worked, thank you!']);
    expect(newer.messages.every((m) => m.id > reply.id)).toBe(true);
  }, 90_000);

  it('carries hostile text as data, for the panel to show with textContent; a hostile category never reaches the page', async () => {
    const filed = await fetch(`${app.url}/api/widget/tickets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '10.73.0.1' },
      body: JSON.stringify({ name: '<b>Hostile</b>', email: 'hostile@customer.example', category: 'windows-nt', description: '<script>alert(1)</script> and more text' }),
    });
    const { ticket, token } = (await filed.json()) as { ticket: string; token: string };
    const messages = `${app.url}/api/widget/tickets/${ticket}/messages`;
    const auth = { authorization: `Bearer ${token}` };
    const hostile = fc.oneof(
      fc.constantFrom('<img src=x onerror=alert(1)>', '"><svg onload=alert(1)>', '</li><script>alert(1)</script>', '&lt;b&gt;entities&lt;/b&gt;', '{{constructor}}', 'javascript:alert(1)'),
      fc.string({ minLength: 1, maxLength: 80 }).map((s) => `<i>${s}</i>`),
    );
    let n = 0;
    await fc.assert(
      fc.asyncProperty(hostile, async (text) => {
        n += 1;
        const res = await fetch(messages, { method: 'POST', headers: { ...auth, 'content-type': 'application/json', 'x-forwarded-for': `10.73.1.${n}` }, body: JSON.stringify({ text }) });
        expect(res.status).toBe(201);
        const listed = (await (await fetch(messages, { headers: auth })).json()) as { messages: { text: string }[] };
        // The customer's own words, exactly as written (not pre-escaped, so nothing is escaped twice)…
        expect(listed.messages.at(-1)!.text).toBe(text.trim());
      }),
      { numRuns: 12 },
    );
    // …and the panel puts text on the page only through textContent.
    for (const file of ['widget.js', 'widget-frame.js']) {
      const source = readFileSync(new URL(file, PUBLIC), 'utf8');
      expect(source).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function/);
    }

    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ maxLength: 60 }), fc.constantFrom('"><script>alert(1)</script>', 'ms-exchange" onload="x', '<b>')), async (category) => {
        const res = await fetch(`${app.url}/widget/frame?category=${encodeURIComponent(category)}`);
        expect(res.status).toBe(200);
        const html = await res.text();
        const shown = html.match(/data-category="([^"]*)"/)![1];
        expect(shown === '' || testRouting().categories.some((c) => c.key === shown)).toBe(true);
        expect(html).not.toContain('alert(1)');
      }),
      { numRuns: 30 },
    );
  }, 90_000);
});

describe(`the widget's origins come from the routing file, on ${TEST_ENGINE}`, () => {
  it('lists exactly the configured origins in frame-ancestors, and none means no site may frame the panel', async () => {
    const origins = ['https://www.example.org', 'http://localhost:8080'];
    const two = await startTestApp({ routing: { ...testRouting(), widget: { allowedOrigins: origins } } });
    try {
      const res = await fetch(`${two.url}/widget/frame`);
      expect(csp(res.headers.get('content-security-policy')).get('frame-ancestors')).toEqual(origins);
      const preflight = await fetch(`${two.url}/api/widget/tickets`, { method: 'OPTIONS', headers: { origin: 'http://localhost:8080', 'access-control-request-method': 'POST' } });
      expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:8080');
      expect((await fetch(`${two.url}/api/widget/tickets`, { method: 'OPTIONS', headers: { origin: LISTED, 'access-control-request-method': 'POST' } })).status).toBe(403);
    } finally {
      await two.close();
    }
    const { widget: _widget, ...withoutWidget } = testRouting();
    const none = await startTestApp({ routing: withoutWidget });
    try {
      const res = await fetch(`${none.url}/widget/frame`);
      expect(csp(res.headers.get('content-security-policy')).get('frame-ancestors')).toEqual(["'none'"]);
      expect((await fetch(`${none.url}/api/widget/tickets`, { method: 'OPTIONS', headers: { origin: LISTED, 'access-control-request-method': 'POST' } })).status).toBe(403);
    } finally {
      await none.close();
    }
  }, 90_000);
});
