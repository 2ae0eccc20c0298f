import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Customer, Ticket, TicketAlias } from '../../src/db/models/index.ts';
import { startTestApp, type TestApp } from '../support/start-test-app.ts';
import { TEST_ENGINE } from '../support/test-database.ts';
import { waitFor } from '../support/wait-for.ts';

const RITA = { id: 'U0RITA0001', name: 'rita.o', real_name: 'Rita Okafor', display_name: 'Rita (Finance)', email: 'rita@corp.com', phone: '+1 (415) 555-0123' };

describe(`a /helpnet requester's Slack profile, on ${TEST_ENGINE}`, () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
    app.slack.addUser(RITA);
  });
  afterAll(async () => {
    await app.close();
  });

  const submit = (userId: string, viewId: string, description: string) =>
    app.slackRequests.viewSubmission({
      user_id: userId,
      callback_id: 'ticket.create',
      view_id: viewId,
      values: {
        category: { value: { type: 'static_select', selected_option: { value: 'ms-exchange' } } },
        description: { value: { type: 'plain_text_input', value: description } },
        urgency: { value: { type: 'static_select', selected_option: { value: 'normal' } } },
      },
    });
  const channelPost = (ticketId: number) =>
    waitFor(() => app.slack.callsTo('chat.postMessage').find((c) => c.args.channel === 'C0EXCH001' && c.status === 200 && JSON.stringify(c.args.blocks).includes(`HN-${ticketId}`)), 'the channel post');

  it('stores the email and phone of their Slack profile, and scrubs a description signed with them', async () => {
    expect((await submit(RITA.id, 'V0PROFILE1', 'Outlook crashes on start. Reach me at rita@corp.com or 415 555 0123. — Rita (Finance)')).status).toBe(200);
    const ticket = await waitFor(() => Ticket.findOne({ where: { source: 'slack', externalId: 'V0PROFILE1' } }), 'the ticket');
    const post = JSON.stringify((await channelPost(ticket.id)).args.blocks);
    const alias = (await TicketAlias.findOne({ where: { ticketId: ticket.id, side: 'customer' }, rejectOnEmpty: true })).name;
    expect(post).toContain(`Outlook crashes on start. Reach me at ${alias} or ${alias}. — ${alias}`);
    expect(post).not.toMatch(/rita|Okafor|555.0123/i);
    const customer = await Customer.findByPk(ticket.customerId, { rejectOnEmpty: true });
    expect(customer).toMatchObject({ name: 'Rita Okafor', email: 'rita@corp.com', phone: '+1 (415) 555-0123', slackUserId: RITA.id });
  });
});
