import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashAccessToken } from '../../src/web/widget-api.ts';
import { startTestApp, type TestApp } from '../support/start-test-app.ts';
import { TEST_ENGINE } from '../support/test-database.ts';
import { waitFor } from '../support/wait-for.ts';

describe(`widget API on ${TEST_ENGINE}`, () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  const post = async (body: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${app.url}/api/widget/tickets`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
    return { status: res.status, json: (await res.json()) as Record<string, any>, headers: res.headers };
  };
  const valid = { name: 'Wendy Widget', email: 'Wendy.Widget@example.com', category: 'windows-nt', description: 'My NT workstation cannot see the network share.' };

  it('files a ticket: 201 with its id and an access token, and dispatches it', async () => {
    const res = await post(valid, { 'x-forwarded-for': '10.0.0.1' });
    expect(res.status).toBe(201);
    expect(res.json.ticket).toMatch(/^HN-\d+$/);
    expect(res.json.token).toMatch(/^[\w-]{40,}$/);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const id = Number(res.json.ticket.slice(3));
    const ticket = await app.server.db.models.Ticket.findByPk(id);
    expect(ticket).toMatchObject({ source: 'widget', accessTokenHash: hashAccessToken(res.json.token) });
    const customer = await app.server.db.models.Customer.findByPk(ticket!.customerId);
    expect(customer).toMatchObject({ name: 'Wendy Widget', email: 'wendy.widget@example.com' });
    await waitFor(() => app.slack.callsTo('chat.postMessage').some((c) => c.args.channel === 'C0WIND003'), 'the post');
    expect(app.slack.calls.map((c) => c.rawBody).join('')).not.toMatch(/wendy/i);
  });

  it('answers 400 with a message for each bad field, and files nothing', async () => {
    const before = await app.server.db.models.Ticket.count();
    const res = await post({ name: '', email: 'nope', category: 'printers', description: 'short' });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({
      error: 'invalid',
      errors: {
        name: 'Tell us your name.',
        email: 'That does not look like an email address.',
        description: 'Please write at least 10 characters, so an expert can help.',
        // Every bad field at once, the category not in use among them.
        category: 'We do not take tickets in that category.',
      },
    });
    const unknown = await post({ ...valid, category: 'printers' });
    expect(unknown.json.errors).toEqual({ category: 'We do not take tickets in that category.' });
    expect((await post('{not json')).status).toBe(400);
    expect(await app.server.db.models.Ticket.count()).toBe(before);
  });

  it('answers a body that is not JSON, or not an object, with 400 in the same shape', async () => {
    const headers = { 'x-forwarded-for': '10.0.4.1' };
    expect(await post('{"name": "Wendy",', headers)).toMatchObject({ status: 400, json: { error: 'invalid', errors: { body: 'The body is not valid JSON.' } } });
    expect(await post('[1, 2]', headers)).toMatchObject({ status: 400, json: { error: 'invalid', errors: { body: 'Send a JSON object with name, email, category and description.' } } });
  });

  it('says a description is too long on the field, and a body far over the limit is 413 naming it', async () => {
    const before = await app.server.db.models.Ticket.count();
    const long = await post({ ...valid, description: 'x'.repeat(60_000) }, { 'x-forwarded-for': '10.0.5.1' });
    expect(long).toMatchObject({ status: 400, json: { error: 'invalid', errors: { description: 'Please keep it under 4000 characters.' } } });
    // The largest valid ticket, every character sent escaped, is well under the limit.
    const escaped = JSON.stringify({ ...valid, name: 'é'.repeat(200), description: 'é'.repeat(4000) }).replace(/é/g, '\\u00e9');
    expect((await post(escaped, { 'x-forwarded-for': '10.0.5.2' })).status).toBe(201);

    // A listed site's page can read the 413 (CORS headers come before the body is read).
    const huge = await post({ ...valid, description: 'x'.repeat(100_000) }, { 'x-forwarded-for': '10.0.5.3', origin: 'https://shop.example.com' });
    expect(huge.status).toBe(413);
    expect(huge.json).toEqual({ error: 'too_large', message: 'The request is larger than 64 KB, the most this accepts. A description can be at most 4000 characters.' });
    expect(huge.headers.get('access-control-allow-origin')).toBe('https://shop.example.com');
    expect(await app.server.db.models.Ticket.count()).toBe(before + 1);
  });

  it('returns the same ticket for a retried submission with the same Idempotency-Key', async () => {
    const first = await post(valid, { 'idempotency-key': 'retry-me-0001' });
    const again = await post(valid, { 'idempotency-key': 'retry-me-0001' });
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ ticket: first.json.ticket, duplicate: true });
    // The retry is what a client sends when the first answer was lost: it gets the token too.
    expect(again.json.token).toBe(first.json.token);
    const messages = await fetch(`${app.url}/api/widget/tickets/${first.json.ticket}/messages`, { headers: { authorization: `Bearer ${again.json.token}` } });
    expect(messages.status).toBe(200);
  });

  it('scopes an Idempotency-Key to the submission: another customer sending the same key gets their own ticket', async () => {
    const key = 'contact-form-0001';
    const other = { name: 'Otto Other', email: 'otto@elsewhere.example', category: 'windows-nt', description: 'Our NT domain controller will not boot.' };
    const mine = await post(valid, { 'idempotency-key': key, 'x-forwarded-for': '10.0.1.1' });
    const theirs = await post(other, { 'idempotency-key': key, 'x-forwarded-for': '10.0.1.2' });
    expect(mine.status).toBe(201);
    expect(theirs.status).toBe(201);
    expect(theirs.json.ticket).not.toBe(mine.json.ticket);
    expect(theirs.json.token).toMatch(/^[\w-]{40,}$/);
    const filed = await app.server.db.models.Ticket.findByPk(Number(theirs.json.ticket.slice(3)));
    expect(filed).toMatchObject({ description: other.description, accessTokenHash: hashAccessToken(theirs.json.token) });
    expect(await app.server.db.models.Customer.findByPk(filed!.customerId)).toMatchObject({ email: 'otto@elsewhere.example' });
    expect(filed!.externalId!.length).toBeLessThanOrEqual(128);

    // Each one's retry — the email written differently still counts as theirs — gets their own ticket back.
    const myRetry = await post({ ...valid, email: '  WENDY.widget@Example.com ' }, { 'idempotency-key': key, 'x-forwarded-for': '10.0.1.3' });
    const theirRetry = await post(other, { 'idempotency-key': key, 'x-forwarded-for': '10.0.1.4' });
    expect(myRetry).toMatchObject({ status: 200, json: { ticket: mine.json.ticket, duplicate: true } });
    expect(theirRetry).toMatchObject({ status: 200, json: { ticket: theirs.json.ticket, duplicate: true } });
  });

  it('refuses (422) a key the same customer already used for another problem, and files nothing', async () => {
    const first = await post(valid, { 'idempotency-key': 'fixed-form-id', 'x-forwarded-for': '10.0.2.1' });
    const before = await app.server.db.models.Ticket.count();
    const second = await post({ ...valid, description: 'Now the NT print spooler keeps stopping.' }, { 'idempotency-key': 'fixed-form-id', 'x-forwarded-for': '10.0.2.2' });
    expect(first.status).toBe(201);
    expect(second).toMatchObject({ status: 422, json: { error: 'idempotency_key_reused' } });
    expect(await app.server.db.models.Ticket.count()).toBe(before);
    // The first submission sent again is still its retry.
    expect((await post(valid, { 'idempotency-key': 'fixed-form-id', 'x-forwarded-for': '10.0.2.3' })).json).toMatchObject({ ticket: first.json.ticket, duplicate: true });
  });

  it('reports every bad field in one answer, an unknown category among them', async () => {
    const res = await post({ name: '', email: 'not-an-email', category: 'fax-machines', description: 'short' }, { 'x-forwarded-for': '10.0.6.1' });
    expect(res.status).toBe(400);
    expect(Object.keys(res.json.errors).sort()).toEqual(['category', 'description', 'email', 'name']);
    expect(res.json.errors.category).toBe('We do not take tickets in that category.');
  });

  it('refuses an email longer than the column holds, on every engine, with a message on the field', async () => {
    const res = await post({ ...valid, email: `${'w'.repeat(5000)}@example.com` }, { 'x-forwarded-for': '10.0.6.2' });
    expect(res).toMatchObject({ status: 400, json: { errors: { email: 'An email address has at most 320 characters.' } } });
  });

  it('tells keys apart by case, on every engine', async () => {
    const upper = await post(valid, { 'idempotency-key': 'Case-Key-AbC1', 'x-forwarded-for': '10.0.3.1' });
    const lower = await post(valid, { 'idempotency-key': 'case-key-abc1', 'x-forwarded-for': '10.0.3.2' });
    expect(upper.status).toBe(201);
    expect(lower.status).toBe(201);
    expect(lower.json.ticket).not.toBe(upper.json.ticket);
  });

  it('limits each client address, saying when to try again', async () => {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 7; i++) {
      const res = await post({ ...valid, description: `Attempt number ${i} of the flood` }, { 'x-forwarded-for': '203.0.113.9' });
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers.get('retry-after');
    }
    expect(statuses.filter((s) => s === 201).length).toBeLessThanOrEqual(5);
    expect(statuses).toContain(429);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });

  it('counts an IPv6 client by its /64, so rotating the rest of the address does not reset its limit', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const res = await post({ ...valid, description: `IPv6 attempt number ${i} of the flood` }, { 'x-forwarded-for': `2001:db8:77:1::${(i + 1).toString(16)}` });
      statuses.push(res.status);
    }
    expect(statuses.filter((s) => s === 201).length).toBeLessThanOrEqual(5);
    expect(statuses).toContain(429);
  });

  it('lists the categories a widget can offer', async () => {
    const res = await fetch(`${app.url}/api/widget/categories`);
    expect(await res.json()).toEqual({ categories: [{ key: 'ms-exchange', name: 'MS Exchange' }, { key: 'windows-nt', name: 'Windows NT' }] });
  });
});

describe(`widget API behind a proxy Helpnet does not trust, on ${TEST_ENGINE}`, () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ env: { TRUST_PROXY: '10.0.0.0/8' } });
  });
  afterAll(async () => {
    await app.close();
  });

  it('ignores X-Forwarded-For from an untrusted peer: one address, one limit', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const res = await fetch(`${app.url}/api/widget/tickets`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': `198.51.100.${i + 1}` },
        body: JSON.stringify({ name: 'Pat Proxy', email: 'pat@example.com', category: 'windows-nt', description: `Spoofed address attempt ${i}, please help` }),
      });
      statuses.push(res.status);
    }
    expect(statuses.filter((s) => s === 201).length).toBeLessThanOrEqual(5);
    expect(statuses).toContain(429);
  });
});
