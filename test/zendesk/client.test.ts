import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createZendeskClient, RetryableZendeskError } from '../../src/zendesk/client.ts';
import { FakeZendesk } from '../support/fake-zendesk.ts';

describe('the Zendesk client', () => {
  let zendesk: FakeZendesk;
  beforeAll(async () => {
    zendesk = await FakeZendesk.start();
  });
  afterAll(async () => {
    await zendesk.stop();
  });
  const client = (timeoutMs?: number) => createZendeskClient({ apiUrl: zendesk.apiUrl, email: zendesk.email, apiToken: zendesk.apiToken, webhookSecret: 'unused' }, { timeoutMs });

  it('reads a ticket with its requester side-loaded, in one request', async () => {
    const t = zendesk.addTicket({ description: 'Printer jam', requester: { name: 'Pat Printer', email: 'pat@customer.example', phone: '+1 555 0199' } });
    zendesk.http.resetCalls();
    const read = await client().getTicket(t.id);
    expect(read).toMatchObject({ id: t.id, description: 'Printer jam', requester: { id: t.requester_id, name: 'Pat Printer', email: 'pat@customer.example', phone: '+1 555 0199' } });
    expect(zendesk.calls.map((c) => c.route)).toEqual(['GET /api/v2/tickets/:id']);
  });

  it('gives up on a request Zendesk does not answer in time, as a failure to retry', async () => {
    const t = zendesk.addTicket({ description: 'Slow', requester: { name: 'Sam Slow', email: 'sam@customer.example' } });
    zendesk.http.inject('PUT /api/v2/tickets/:id', { kind: 'delay', ms: 1500 });
    const started = Date.now();
    await expect(client(200).addComment(t.id, 'hello', 'public')).rejects.toBeInstanceOf(RetryableZendeskError);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('turns a 429 into a failure to retry after the Retry-After', async () => {
    const t = zendesk.addTicket({ description: 'Busy', requester: { name: 'Bea Busy', email: 'bea@customer.example' } });
    zendesk.http.inject('PUT /api/v2/tickets/:id', { kind: 'status', status: 429, retryAfterSeconds: 7 });
    const failure = await client().addComment(t.id, 'hello', 'public').catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(RetryableZendeskError);
    expect((failure as RetryableZendeskError).retryAfterMs).toBe(7000);
  });

  it('lets a 5xx without Retry-After back off as usual', async () => {
    const t = zendesk.addTicket({ description: 'Down', requester: { name: 'Dan Down', email: 'dan@customer.example' } });
    zendesk.http.inject('PUT /api/v2/tickets/:id', { kind: 'status', status: 503 });
    const failure = await client().addComment(t.id, 'hello', 'public').catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(RetryableZendeskError);
    expect((failure as RetryableZendeskError).retryAfterMs).toBeUndefined();
  });
});
