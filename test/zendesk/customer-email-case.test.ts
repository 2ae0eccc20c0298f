import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Customer, Ticket } from '../../src/db/models/index.ts';
import { startTestApp, type TestApp } from '../support/start-test-app.ts';
import { TEST_ENGINE } from '../support/test-database.ts';
import { waitFor } from '../support/wait-for.ts';

describe(`customers matched by email in any case, on ${TEST_ENGINE}`, () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  let filed = 0;
  const fileInWidget = async (name: string, email: string) => {
    filed += 1;
    const res = await fetch(`${app.url}/api/widget/tickets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.77.0.${filed}` },
      body: JSON.stringify({ name, email, category: 'windows-nt', description: 'The NT print spooler stops every hour.' }),
    });
    expect(res.status).toBe(201);
    const { ticket } = (await res.json()) as { ticket: string };
    return Ticket.findByPk(Number(ticket.slice(3)), { rejectOnEmpty: true });
  };
  const fileInZendesk = async (requester: { name: string; email: string }) => {
    const zd = app.zendesk.addTicket({ description: 'Outlook cannot find the global address list.', requester, tags: ['ms-exchange'] });
    await app.zendeskWebhooks.send({ ticket: { id: String(zd.id), updated_at: zd.updated_at } });
    return waitFor(() => Ticket.findOne({ where: { source: 'zendesk', externalId: String(zd.id) } }), 'the Zendesk ticket');
  };

  it('finds the customer a Zendesk address in capitals made when the same person files in the widget', async () => {
    const fromZendesk = await fileInZendesk({ name: 'Nora Case', email: 'Nora.Case@Customer.Example' });
    const fromWidget = await fileInWidget('Nora Case', 'nora.case@customer.example');
    expect(fromWidget.customerId).toBe(fromZendesk.customerId);
    const customer = await Customer.findByPk(fromZendesk.customerId, { rejectOnEmpty: true });
    expect(customer.email).toBe('nora.case@customer.example');
  });

  it('and the other way round', async () => {
    const fromWidget = await fileInWidget('Otto Order', 'otto.order@customer.example');
    const fromZendesk = await fileInZendesk({ name: 'Otto Order', email: ' OTTO.Order@customer.EXAMPLE' });
    expect(fromZendesk.customerId).toBe(fromWidget.customerId);
    expect(await Customer.count({ where: { name: 'Otto Order' } })).toBe(1);
  });
});
