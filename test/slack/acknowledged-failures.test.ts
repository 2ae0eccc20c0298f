import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQualifiedExpert } from '../support/experts.ts';
import { startTestApp, type TestApp } from '../support/start-test-app.ts';
import { TEST_ENGINE } from '../support/test-database.ts';
import { waitFor } from '../support/wait-for.ts';
import { helpnetComments, slackPeople } from '../relay/support.ts';

/**
 * Slack has had its acknowledgement before Helpnet stores what came in, and will not send
 * it again: when storing fails, the person who wrote it is told, with what they wrote.
 * The failure is real: a table the work needs is renamed away for the moment.
 */
describe(`input Slack was told was received, then failed, on ${TEST_ENGINE}`, () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.close();
  });
  const qi = () => app.server.db.sequelize.getQueryInterface();
  async function without<T>(table: string, work: () => Promise<T>): Promise<T> {
    await qi().renameTable(table, `${table}_away`);
    try {
      return await work();
    } finally {
      await qi().renameTable(`${table}_away`, table);
    }
  }

  it('a /helpnet ticket that could not be stored: the requester gets a DM with their description to file again', async () => {
    const requester = 'U0UNLUCKY1';
    await without('customers', async () => {
      const res = await app.slackRequests.viewSubmission({
        user_id: requester,
        callback_id: 'ticket.create',
        view_id: 'V0FAIL0001',
        values: {
          category: { value: { type: 'static_select', selected_option: { value: 'ms-exchange' } } },
          description: { value: { type: 'plain_text_input', value: 'Out of office <b>replies</b> & forwards stopped.' } },
          urgency: { value: { type: 'static_select', selected_option: { value: 'normal' } } },
        },
      });
      expect(res.status).toBe(200);
      const dm = await waitFor(() => app.slack.callsTo('chat.postMessage').find((c) => c.args.channel === requester), 'the DM to the requester');
      expect(String(dm.args.text)).toContain('could not be filed');
      expect(String(dm.args.text)).toContain('> Out of office &lt;b&gt;replies&lt;/b&gt; &amp; forwards stopped.');
    });
  });

  it('a DM reply in a ticket thread that could not be stored: the writer is told in the thread to send it again', async () => {
    const people = slackPeople(app);
    const expert = await createQualifiedExpert('exchange-l1', 'ms-exchange');
    const zd = app.zendesk.addTicket({ description: 'Delegates cannot open the calendar.', requester: { name: 'Nora', email: 'nora@customer.example' }, tags: ['ms-exchange'] });
    await app.zendeskWebhooks.send({ ticket: { id: String(zd.id), updated_at: zd.updated_at } });
    const ticket = await waitFor(() => app.server.db.models.Ticket.findOne({ where: { source: 'zendesk', externalId: String(zd.id) } }), 'the ticket');
    await people.book(expert, ticket.id);
    const thread = await people.expertThread(expert, ticket.id);
    // The customer told of the booking on Zendesk, and that relay done with the ticket: on
    // MariaDB, renaming a table while it writes to the ticket would wait on it for good.
    await waitFor(() => helpnetComments(app, zd.id).length === 1, 'the booking comment');
    await waitFor(async () => (await ticket.reload()).zendeskRelayLeaseOwner === null && (await app.server.db.models.MessageDelivery.count({ where: { ticketId: ticket.id, status: ['pending', 'sending'] } })) === 0, 'the relay done');
    await without('ticket_messages', async () => {
      await people.dm(expert.slackUserId!, 'Give them Editor rights, please.', { threadTs: thread.ts });
      // Posted straight to the DM conversation (Slack's D… id for the same DM), in the ticket's thread.
      const dm = app.slack.dmChannelOf(expert.slackUserId!);
      await waitFor(() => app.slack.messages.some((m) => m.channel === dm && m.thread_ts === thread.ts && m.text?.includes('could not be passed on because of a problem on our side')), 'the notice');
    });
  });
});
