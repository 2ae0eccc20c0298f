import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeZendesk } from '../support/fake-zendesk.ts';

describe('fake Zendesk API', () => {
  let zd: FakeZendesk;
  let auth: string;
  beforeEach(async () => {
    zd = await FakeZendesk.start();
    auth = `Basic ${Buffer.from(`${zd.email}/token:${zd.apiToken}`).toString('base64')}`;
  });
  afterEach(async () => {
    await zd.stop();
  });

  const call = async (method: string, path: string, body?: unknown, authorization = auth) => {
    const res = await fetch(`${zd.apiUrl}${path}`, {
      method,
      headers: { authorization, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as any, headers: res.headers };
  };

  it('requires Basic auth as email/token:TOKEN', async () => {
    const t = zd.addTicket({ description: 'Mail is down', requester: { name: 'Carol', email: 'carol@example.com' } });
    expect((await call('GET', `/tickets/${t.id}.json`, undefined, 'Basic bm9ib2R5')).status).toBe(401);
    expect((await call('GET', `/tickets/${t.id}.json`)).json.ticket).toMatchObject({ id: t.id, description: 'Mail is down', status: 'new' });
    expect((await call('GET', `/tickets/${t.id}`)).status).toBe(200);
  });

  it('adds comments by PUT and lists them, the description first', async () => {
    const t = zd.addTicket({ description: 'Mail is down', requester: { name: 'Carol', email: 'carol@example.com' } });
    const put = await call('PUT', `/tickets/${t.id}.json`, { ticket: { comment: { body: 'Helpnet HN-1: routed', public: false }, status: 'open' } });
    expect(put.status).toBe(200);
    expect(put.json.ticket.status).toBe('open');
    const comments = (await call('GET', `/tickets/${t.id}/comments.json`)).json.comments;
    expect(comments.map((c: { body: string; public: boolean; author_id: number }) => [c.body, c.public, c.author_id])).toEqual([
      ['Mail is down', true, t.requester_id],
      ['Helpnet HN-1: routed', false, zd.apiUser.id],
    ]);
    expect((await call('PUT', `/tickets/999999.json`, { ticket: { status: 'open' } })).json).toEqual({ error: 'RecordNotFound', description: 'Not found' });
  });

  it('searches and creates users, refusing a duplicate email', async () => {
    const created = await call('POST', '/users.json', { user: { name: 'Dan', email: 'dan@example.com' } });
    expect(created.status).toBe(201);
    const found = await call('GET', `/users/search.json?query=${encodeURIComponent('email:dan@example.com')}`);
    expect(found.json.users.map((u: { id: number }) => u.id)).toEqual([created.json.user.id]);
    const dup = await call('POST', '/users.json', { user: { name: 'Dan 2', email: 'dan@example.com' } });
    expect(dup.status).toBe(422);
    expect(dup.json.details.email[0].error).toBe('DuplicateValue');
  });

  it('injects 429 with Retry-After, 500, and refused connections', async () => {
    const t = zd.addTicket({ description: 'x', requester: { name: 'E', email: 'e@example.com' } });
    zd.http.inject('PUT /api/v2/tickets/:id', { kind: 'status', status: 429, retryAfterSeconds: 7 });
    zd.http.inject('PUT /api/v2/tickets/:id', { kind: 'status', status: 500 });
    const limited = await call('PUT', `/tickets/${t.id}.json`, { ticket: { comment: { body: 'a' } } });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect((await call('PUT', `/tickets/${t.id}.json`, { ticket: { comment: { body: 'a' } } })).status).toBe(500);
    expect((await call('PUT', `/tickets/${t.id}.json`, { ticket: { comment: { body: 'a' } } })).status).toBe(200);
    expect(zd.comments.get(t.id)).toHaveLength(2);

    await zd.http.refuseConnections();
    await expect(fetch(`${zd.apiUrl}/users/me.json`)).rejects.toThrow();
    await zd.http.acceptConnections();
    expect((await call('GET', '/users/me.json')).json.user.email).toBe(zd.email);
  });
});
