import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Customer, Ticket, TicketAlias } from '../../src/db/models/index.ts';
import { createQualifiedExpert } from '../support/experts.ts';
import { startTestApp, type TestApp } from '../support/start-test-app.ts';
import { TEST_ENGINE } from '../support/test-database.ts';
import { testRouting } from '../support/test-routing.ts';
import { waitFor } from '../support/wait-for.ts';
import { slackPeople } from './support.ts';

describe(`a returning customer's identity, on ${TEST_ENGINE}`, () => {
  let app: TestApp;
  let people: ReturnType<typeof slackPeople>;
  beforeAll(async () => {
    const routing = testRouting();
    routing.categories = routing.categories.map((c) => (c.key === 'windows-nt' ? { ...c, shareCustomerContact: true } : c));
    app = await startTestApp({ routing });
    people = slackPeople(app);
  });
  afterAll(async () => {
    await app.close();
  });

  /** Everything Helpnet posted to Slack about a ticket so far. */
  const postedAbout = (ticketId: number) =>
    app.slack
      .callsTo('chat.postMessage')
      .map((c) => c.rawBody)
      .filter((raw) => decodeURIComponent(raw).includes(`HN-${ticketId}`))
      .map((raw) => decodeURIComponent(raw.replace(/\+/g, ' ')))
      .join('\n');
  const channelPost = (ticketId: number, channel: string) =>
    waitFor(() => app.slack.callsTo('chat.postMessage').find((c) => c.args.channel === channel && c.status === 200 && JSON.stringify(c.args.blocks).includes(`HN-${ticketId}`)), `the post of HN-${ticketId}`);
  const fileFromZendesk = async (description: string, requester: { name: string; email: string; phone?: string; organization_id?: number }) => {
    const zd = app.zendesk.addTicket({ subject: 'Help with Exchange', description, requester, tags: ['ms-exchange'] });
    await app.zendeskWebhooks.send({ ticket: { id: String(zd.id), updated_at: zd.updated_at } });
    const ticket = await waitFor(() => Ticket.findOne({ where: { source: 'zendesk', externalId: String(zd.id) } }), 'the Zendesk ticket');
    return { zd, ticket };
  };

  it('Zendesk: a requester who files again under a new name and phone is scrubbed of the new and the old, and of their organization', async () => {
    const contoso = app.zendesk.addOrganization('Contoso Pharma');
    const first = await fileFromZendesk('Calendar sharing broke. — Cathy Q, +44 20 7946 0958', { name: 'Cathy Q', email: 'cathy.q@customer.example', phone: '+44 20 7946 0958', organization_id: contoso.id });
    expect(JSON.stringify((await channelPost(first.ticket.id, 'C0EXCH001')).args.blocks)).not.toMatch(/Cathy|7946|Contoso/);

    // The same Zendesk user, renamed and with a new phone, files again.
    const user = app.zendesk.users.get(first.zd.requester_id)!;
    Object.assign(user, { name: 'Catherine Quinlan', phone: '+1 415 555 0199' });
    const second = await fileFromZendesk(
      'Out-of-office replies stopped. Catherine Quinlan (Contoso Pharma), +1 415 555 0199 — you may know me as Cathy Q, 020 7946 0958.',
      { name: user.name, email: user.email, organization_id: contoso.id },
    );
    expect(second.ticket.customerId).toBe(first.ticket.customerId);
    const post = JSON.stringify((await channelPost(second.ticket.id, 'C0EXCH001')).args.blocks);
    const alias = (await TicketAlias.findOne({ where: { ticketId: second.ticket.id, side: 'customer' }, rejectOnEmpty: true })).name;
    expect(post).toContain(`${alias} ((company)), ${alias} — you may know me as ${alias}, ${alias}.`);
    expect(post).not.toMatch(/Catherine|Quinlan|Cathy|415 555 0199|7946|Contoso/);

    // The customer record shows who they are now, and keeps who they were to scrub.
    const customer = await Customer.findByPk(first.ticket.customerId, { rejectOnEmpty: true });
    expect(customer).toMatchObject({ name: 'Catherine Quinlan', phone: '+1 415 555 0199', company: 'Contoso Pharma', email: 'cathy.q@customer.example' });
    expect(JSON.parse(customer.formerIdentity!)).toEqual({ names: ['Cathy Q'], phones: ['+44 20 7946 0958'] });

    // Their messages on the new ticket are scrubbed of both too.
    const expert = await createQualifiedExpert('exchange-l1', 'ms-exchange', { name: 'Elif Expert' });
    await people.book(expert, second.ticket.id);
    const thread = await people.expertThread(expert, second.ticket.id);
    app.zendesk.addComment(second.zd.id, { author_id: user.id, body: 'Still broken. Cathy Q / Catherine Quinlan, Contoso Pharma, +44 20 7946 0958 or 415-555-0199' });
    await app.zendeskWebhooks.send({ ticket: { id: String(second.zd.id), updated_at: app.zendesk.tickets.get(second.zd.id)!.updated_at } });
    const reply = await waitFor(() => people.replies(thread).find((m) => m.text?.includes('Still broken')), 'the customer’s reply');
    expect(reply.text).toBe(`*Customer ${alias}:* Still broken. ${alias} / ${alias}, (company), ${alias} or ${alias}`);
    expect(postedAbout(second.ticket.id)).not.toMatch(/Catherine|Quinlan|Cathy|415.555.0199|7946|Contoso/);
  });

  it('Zendesk: a requester renamed while a ticket is open is scrubbed of the new name, address and phone in their next comment', async () => {
    const { zd, ticket } = await fileFromZendesk('Mobile mail stopped syncing.', { name: 'Dora Dee', email: 'dora.dee@customer.example', phone: '+44 161 496 0000' });
    const expert = await createQualifiedExpert('exchange-l1', 'ms-exchange', { name: 'Umar Expert' });
    await people.book(expert, ticket.id);
    const thread = await people.expertThread(expert, ticket.id);
    const alias = (await TicketAlias.findOne({ where: { ticketId: ticket.id, side: 'customer' }, rejectOnEmpty: true })).name;

    Object.assign(app.zendesk.users.get(zd.requester_id)!, { name: 'Dorothea Delacroix', email: 'Dorothea@New-Employer.example', phone: '+1 212 555 0147' });
    app.zendesk.addComment(zd.id, { author_id: zd.requester_id, body: 'Thanks. Dorothea Delacroix, dorothea@new-employer.example, (212) 555-0147. Formerly Dora Dee.' });
    await app.zendeskWebhooks.send({ ticket: { id: String(zd.id), updated_at: app.zendesk.tickets.get(zd.id)!.updated_at } });
    const reply = await waitFor(() => people.replies(thread).find((m) => m.text?.includes('Thanks.')), 'the customer’s reply');
    expect(reply.text).toBe(`*Customer ${alias}:* Thanks. ${alias}, ${alias}, ${alias}. Formerly ${alias}.`);
    const customer = await Customer.findByPk(ticket.customerId, { rejectOnEmpty: true });
    expect(customer).toMatchObject({ name: 'Dorothea Delacroix', email: 'dorothea@new-employer.example', phone: '+1 212 555 0147' });
    expect(JSON.parse(customer.formerIdentity!)).toEqual({ names: ['Dora Dee'], emails: ['dora.dee@customer.example'], phones: ['+44 161 496 0000'] });
  });

  it('widget: anyone may type a customer’s email, so a new contact is scrubbed but does not replace the one shown where the category shares it', async () => {
    let n = 0;
    const file = async (body: Record<string, string>) => {
      n += 1;
      const res = await fetch(`${app.url}/api/widget/tickets`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.66.0.${n}` },
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(201);
      return Ticket.findByPk(Number(((await res.json()) as { ticket: string }).ticket.slice(3)), { rejectOnEmpty: true });
    };
    const first = await file({ name: 'Rob Roe', email: 'rob.roe@customer.example', phone: '+44 113 496 0001', category: 'windows-nt', description: 'The file server share is read-only. Rob' });
    await channelPost(first.id, 'C0WIND003');
    const second = await file({ name: 'Robert Roeland', email: 'rob.roe@customer.example', phone: '+1 303 555 0123', category: 'windows-nt', description: 'Printing fails. Robert Roeland, +1 303 555 0123 (was Rob Roe, 0113 496 0001)' });
    expect(second.customerId).toBe(first.customerId);
    const alias = (await TicketAlias.findOne({ where: { ticketId: second.id, side: 'customer' }, rejectOnEmpty: true })).name;
    const post = JSON.stringify((await channelPost(second.id, 'C0WIND003')).args.blocks);
    expect(post).toContain(`Printing fails. ${alias}, ${alias} (was ${alias}, ${alias})`);

    // The category shares the contact with the expert who books: the one the customer
    // first gave, not what a later form typed with their email says.
    const expert = await createQualifiedExpert('windows-l1', 'windows-nt', { name: 'Wen Expert' });
    await app.slackRequests.blockActions({ user_id: expert.slackUserId!, action_id: 'ticket.book', value: `HN-${first.id}`, channel_id: 'C0WIND003' });
    const thread = JSON.stringify((await people.expertThread(expert, first.id)).blocks);
    expect(thread).toContain('+44 113 496 0001');
    expect(thread).not.toContain('+1 303 555 0123');
    const customer = await Customer.findByPk(first.customerId, { rejectOnEmpty: true });
    expect(customer).toMatchObject({ name: 'Rob Roe', phone: '+44 113 496 0001' });
    expect(JSON.parse(customer.formerIdentity!)).toEqual({ names: ['Robert Roeland'], phones: ['+1 303 555 0123'] });
  });
});
