import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/start-test-app.ts';
import { TEST_ENGINE } from '../support/test-database.ts';

describe(`widget messages API on ${TEST_ENGINE}`, () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  let filed = 0;
  /** A new widget ticket, filed from an address of its own so the filing limit never bites. */
  async function fileTicket(): Promise<{ id: string; token: string }> {
    filed += 1;
    const res = await fetch(`${app.url}/api/widget/tickets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.9.0.${filed}` },
      body: JSON.stringify({ name: 'Mona Message', email: 'mona@customer.example', category: 'windows-nt', description: 'The NT backup job fails every night.' }),
    });
    expect(res.status).toBe(201);
    const json = (await res.json()) as { ticket: string; token: string };
    return { id: json.ticket, token: json.token };
  }

  async function say(ticket: { id: string; token: string }, body: unknown, headers: Record<string, string> = {}) {
    const res = await fetch(`${app.url}/api/widget/tickets/${ticket.id}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ticket.token}`, ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as Record<string, any>, headers: res.headers };
  }

  it('bounds a message: over 4000 characters is a 400 on the text field, and nothing is stored', async () => {
    const ticket = await fileTicket();
    const headers = { 'x-forwarded-for': '10.9.1.1' };
    expect(await say(ticket, { text: 'y'.repeat(4001) }, headers)).toMatchObject({ status: 400, json: { error: 'invalid', errors: { text: 'Please keep it under 4000 characters.' } } });
    expect(await say(ticket, { text: 'y'.repeat(20_000) }, headers)).toMatchObject({ status: 400, json: { error: 'invalid', errors: { text: 'Please keep it under 4000 characters.' } } });
    expect((await say(ticket, { text: 'y'.repeat(4000) }, headers)).status).toBe(201);
    expect(await app.server.db.models.TicketMessage.count({ where: { ticketId: Number(ticket.id.slice(3)) } })).toBe(1);
  });

  it('answers malformed JSON with 400 in the route’s shape, and a body over the limit with 413 naming it', async () => {
    const ticket = await fileTicket();
    const headers = { 'x-forwarded-for': '10.9.2.1' };
    expect(await say(ticket, '{"text": "hello', headers)).toMatchObject({ status: 400, json: { error: 'invalid', errors: { body: 'The body is not valid JSON.' } } });
    expect(await say(ticket, '"hello"', headers)).toMatchObject({ status: 400, json: { error: 'invalid', errors: { body: 'The body is not valid JSON.' } } });
    expect(await say(ticket, '["hello"]', headers)).toMatchObject({ status: 400, json: { error: 'invalid', errors: { body: 'Send a JSON object with the text of your message.' } } });
    const huge = await say(ticket, { text: 'z'.repeat(100_000) }, { ...headers, origin: 'https://shop.example.com' });
    expect(huge.status).toBe(413);
    expect(huge.json).toEqual({ error: 'too_large', message: 'The request is larger than 64 KB, the most this accepts. A message can be at most 4000 characters.' });
    expect(huge.headers.get('access-control-allow-origin')).toBe('https://shop.example.com');
    // Without the ticket's token the body is not even read: the answer is the usual 404.
    expect((await say({ id: ticket.id, token: 'not-the-token' }, '{broken', headers)).status).toBe(404);
    expect(await app.server.db.models.TicketMessage.count({ where: { ticketId: Number(ticket.id.slice(3)) } })).toBe(0);
  });

  it('stores a post once when its retries arrive at the same moment, and answers each as a repeat', async () => {
    const ticket = await fileTicket();
    const results = await Promise.all(Array.from({ length: 8 }, () => say(ticket, { text: 'Is anyone there?' }, { 'idempotency-key': 'same-moment-0001', 'x-forwarded-for': '10.9.3.1' })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
    const stored = await app.server.db.models.TicketMessage.findAll({ where: { ticketId: Number(ticket.id.slice(3)) } });
    expect(stored).toHaveLength(1);
    for (const r of results) {
      expect(r.json.message).toMatchObject({ id: stored[0]!.id, from: 'you', text: 'Is anyone there?' });
      // Nobody has the ticket yet: a repeat says so too.
      expect(r.json.delivered).toBe('when an expert takes the ticket');
    }
  });

  it('refuses a different message sent again with a key already used (422), and keeps the first', async () => {
    const ticket = await fileTicket();
    const headers = { 'idempotency-key': 'reused-key-0001', 'x-forwarded-for': '10.9.5.1' };
    expect((await say(ticket, { text: 'My name is Ada Lovelace and the printer is on fire' }, headers)).status).toBe(201);
    expect((await say(ticket, { text: 'My name is Ada Lovelace and the printer is on fire' }, headers)).status).toBe(200);
    const reused = await say(ticket, { text: 'A different question' }, headers);
    expect(reused.status).toBe(422);
    expect(reused.json).toMatchObject({ error: 'idempotency_key_reused' });
    const stored = await app.server.db.models.TicketMessage.findAll({ where: { ticketId: Number(ticket.id.slice(3)) } });
    expect(stored).toHaveLength(1);
  });

  it('limits posts per ticket, saying when to try again', async () => {
    const ticket = await fileTicket();
    const statuses: number[] = [];
    let limited: { json: Record<string, any>; headers: Headers } | undefined;
    // Enough posts that a slow machine, refilling a few meanwhile, still reaches the limit.
    for (let i = 0; i < 60 && !limited; i++) {
      const res = await say(ticket, { text: `message ${i}` }, { 'x-forwarded-for': '10.9.4.1' });
      statuses.push(res.status);
      if (res.status === 429) limited = res;
    }
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThanOrEqual(30);
    expect(limited?.json).toEqual({ error: 'rate_limited', message: 'Too many messages at once; please wait a moment.' });
    expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThan(0);
  });
  it('limits posts per client address across tickets, saying when to try again', async () => {
    const tickets = await Promise.all([fileTicket(), fileTicket(), fileTicket(), fileTicket()]);
    const accepted = new Map<string, number>();
    let limited: { json: Record<string, any>; headers: Headers } | undefined;
    // Round the tickets, so no one ticket comes near its own limit.
    for (let i = 0; i < 100 && !limited; i++) {
      const ticket = tickets[i % tickets.length]!;
      const res = await say(ticket, { text: `flood ${i}` }, { 'x-forwarded-for': '203.0.113.77' });
      if (res.status === 201) accepted.set(ticket.id, (accepted.get(ticket.id) ?? 0) + 1);
      else if (res.status === 429) limited = res;
      else throw new Error(`unexpected ${res.status}`);
    }
    expect(limited?.json).toEqual({ error: 'rate_limited', message: 'Too many messages from this address; please try again shortly.' });
    expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Math.max(...accepted.values())).toBeLessThan(30);
    // Another address is not held back.
    expect((await say(tickets[0]!, { text: 'from elsewhere' }, { 'x-forwarded-for': '203.0.113.78' })).status).toBe(201);
  });
});
