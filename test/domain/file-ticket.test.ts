import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileTicket, type TicketToFile } from '../../src/domain/tickets/file-ticket.ts';
import { createCategory } from '../support/factories.ts';
import { startTestApp, type TestApp } from '../support/start-test-app.ts';
import { TEST_ENGINE } from '../support/test-database.ts';
import { sleep, waitFor } from '../support/wait-for.ts';

describe(`filing a ticket from any source (${TEST_ENGINE})`, () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  const file = (over: Partial<TicketToFile> & Pick<TicketToFile, 'source'>) =>
    fileTicket(app.server.services, {
      externalId: randomUUID(),
      categoryKey: 'ms-exchange',
      description: 'Outlook keeps asking for my password.',
      customer: { name: 'Fiona Filer', email: `fiona.${randomUUID().slice(0, 8)}@customer.example` },
      ...over,
    });
  const models = () => app.server.db.models;
  const managersPosts = () => app.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === 'C0MGRS001' && c.status === 200);

  it('files a ticket whose requester a source describes beyond what a contact can hold: cut to fit, an impossible email dropped', async () => {
    const name = `Ximena ${'Q'.repeat(300)}`;
    const filing = await file({ source: 'zendesk', customer: { name, email: `${'x'.repeat(400)}@customer.example`, phone: '+1 '.repeat(50), company: 'Z'.repeat(500), zendeskUserId: '77001' } });
    expect(filing.outcome).toBe('filed');
    if (filing.outcome !== 'filed') return;
    const customer = await models().Customer.findByPk(filing.ticket.customerId, { rejectOnEmpty: true });
    expect(customer.name).toBe(name.slice(0, 200));
    expect(customer.email).toBeNull();
    expect([...customer.phone!].length).toBeLessThanOrEqual(64);
    expect(customer.company).toBe('Z'.repeat(200));
    // Described again, the same way, by a later ticket: nothing fails, nothing changes.
    expect((await file({ source: 'zendesk', customer: { name, email: null, zendeskUserId: '77001' } })).outcome).toBe('filed');
  });

  it.each(['widget', 'zendesk'] as const)('files a %s ticket in the category of the key, dispatched to tier 1', async (source) => {
    const filing = await file({ source, categoryKey: 'windows-nt' });
    expect(filing.outcome).toBe('filed');
    if (filing.outcome !== 'filed') return;
    expect(filing.created).toBe(true);
    const category = await models().Category.findOne({ where: { key: 'windows-nt' }, rejectOnEmpty: true });
    expect(filing.ticket).toMatchObject({ source, categoryId: category.id, status: 'dispatched', tier: 1 });
    // The same source event again finds the ticket it made.
    const again = await file({ source, categoryKey: 'windows-nt', externalId: filing.ticket.externalId! });
    expect(again).toMatchObject({ outcome: 'filed', created: false, ticket: { id: filing.ticket.id } });
  });

  it('files a Slack ticket open, to wait for the requester’s profile', async () => {
    const filing = await file({ source: 'slack', customer: { slackUserId: 'U0FILER001' }, awaitRequesterContact: true });
    expect(filing).toMatchObject({ outcome: 'filed', created: true, ticket: { source: 'slack', status: 'open' } });
  });

  it.each(['widget', 'slack'] as const)('tells a %s filer of a key no active category has, filing nothing and alerting nobody', async (source) => {
    const inactive = await createCategory({ active: false });
    const before = { tickets: await models().Ticket.count(), alerts: await models().ManagerAlert.count() };
    for (const categoryKey of ['printers', inactive.key]) {
      expect(await file({ source, categoryKey })).toEqual({ outcome: 'unknown-category' });
    }
    expect(await models().Ticket.count()).toBe(before.tickets);
    expect(await models().ManagerAlert.count()).toBe(before.alerts);
  });

  it('alerts the managers once per Zendesk ticket no category matches, and files nothing', async () => {
    const before = { tickets: await models().Ticket.count(), posts: managersPosts().length };
    const externalId = String(Math.floor(Math.random() * 1e9));
    const outcomes = [
      await file({ source: 'zendesk', externalId, categoryKey: undefined, categoryNamedBy: 'its tags (fax)' }),
      await file({ source: 'zendesk', externalId, categoryKey: 'printers' }),
    ];
    expect(outcomes).toEqual([{ outcome: 'unroutable' }, { outcome: 'unroutable' }]);
    expect(await models().ManagerAlert.count({ where: { onceKey: `unroutable:zendesk-ticket:${externalId}` } })).toBe(1);
    const alert = await waitFor(() => managersPosts()[before.posts], 'the managers alert');
    expect(JSON.stringify(alert.args.blocks)).toContain(`ticket #${externalId}`);
    expect(JSON.stringify(alert.args.blocks)).toContain('no category matches its tags (fax)');
    await sleep(500);
    expect(managersPosts()).toHaveLength(before.posts + 1);
    expect(await models().Ticket.count()).toBe(before.tickets);
  });
});
