import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createZendeskClient } from '../../src/zendesk/client.ts';
import { FakeZendesk } from '../support/fake-zendesk.ts';

describe('the Zendesk client’s side-loads', () => {
  let zendesk: FakeZendesk;
  beforeAll(async () => {
    zendesk = await FakeZendesk.start();
  });
  afterAll(async () => {
    await zendesk.stop();
  });
  const client = () => createZendeskClient({ apiUrl: zendesk.apiUrl, email: zendesk.email, apiToken: zendesk.apiToken, webhookSecret: 'unused' });

  it('reads a ticket with its requester and organization, in one request', async () => {
    const org = zendesk.addOrganization('Fabrikam Foods');
    const t = zendesk.addTicket({ description: 'Printer jam', requester: { name: 'Pat Printer', email: 'pat@fabrikam.example', organization_id: org.id } });
    zendesk.http.resetCalls();
    const read = await client().getTicket(t.id);
    expect(read).toMatchObject({ requester: { name: 'Pat Printer' }, organization: { id: org.id, name: 'Fabrikam Foods' } });
    expect(zendesk.calls.map((c) => c.route)).toEqual(['GET /api/v2/tickets/:id']);
  });

  it('reads comments each with its author as Zendesk describes them now, in one request', async () => {
    const t = zendesk.addTicket({ description: 'Scanner offline', requester: { name: 'Sue Scanner', email: 'sue@customer.example' } });
    const colleague = zendesk.addUser({ name: 'Cal Colleague', email: 'cal@customer.example', phone: '+1 555 0100' });
    zendesk.addComment(t.id, { author_id: colleague.id, body: 'Mine too' });
    Object.assign(zendesk.users.get(t.requester_id)!, { name: 'Susan Scanner' });
    zendesk.http.resetCalls();
    const comments = await client().getComments(t.id);
    expect(comments.map((c) => [c.body, c.author?.name, c.author?.email])).toEqual([
      ['Scanner offline', 'Susan Scanner', 'sue@customer.example'],
      ['Mine too', 'Cal Colleague', 'cal@customer.example'],
    ]);
    expect(zendesk.calls.map((c) => c.route)).toEqual(['GET /api/v2/tickets/:id/comments']);
  });
});
