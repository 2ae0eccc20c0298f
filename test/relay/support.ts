import { Ticket, type Expert } from '../../src/db/models/index.ts';
import { createQualifiedExpert } from '../support/experts.ts';
import type { PostedMessage } from '../support/fake-slack.ts';
import type { TestApp } from '../support/start-test-app.ts';
import { waitFor } from '../support/wait-for.ts';

/** Drives the Slack side of a relay test as people would: clicks and DM messages. */
export function slackPeople(app: TestApp) {
  let seq = 0;
  // A person can reply once Slack shows the message; Helpnet records its ts a moment after
  // Slack answered. Wait for that too, as a person would be slower than that anyway.
  const recorded = async (posted: Promise<PostedMessage>) => {
    const message = await posted;
    await waitFor(() => app.server.db.models.SlackMessage.findOne({ where: { ts: message.ts } }), 'the message recorded');
    return message;
  };
  const dmChannel = (userId: string) => app.slack.dmChannelOf(userId);
  return {
    book: (expert: Expert, ticketId: number) =>
      app.slackRequests.blockActions({ user_id: expert.slackUserId!, action_id: 'ticket.book', value: `HN-${ticketId}`, channel_id: 'C0EXCH001' }),

    /** A message typed in the user's DM with the bot; in a thread when `threadTs` is given. */
    dm(userId: string, text: string, opts: { threadTs?: string; eventId?: string; retryNum?: number; subtype?: string } = {}) {
      seq += 1;
      const ts = `${Math.floor(Date.now() / 1000)}.${String(seq).padStart(6, '0')}`;
      return app.slackRequests.event(
        { type: 'message', channel: dmChannel(userId), channel_type: 'im', user: userId, text, ts, event_ts: ts, ...(opts.threadTs ? { thread_ts: opts.threadTs } : {}), ...(opts.subtype ? { subtype: opts.subtype } : {}) },
        { event_id: opts.eventId ?? `Ev${Date.now()}${seq}`, ...(opts.retryNum ? { retryNum: opts.retryNum } : {}) },
      );
    },

    /** Slack's event for an edit (`message_changed`) or deletion (`message_deleted`) of a reply in a DM thread. */
    change(userId: string, kind: 'edited' | 'deleted', m: { threadTs: string; ts: string; before: string; after?: string; eventId?: string; botId?: string }) {
      seq += 1;
      const eventTs = `${Math.floor(Date.now() / 1000)}.${String(seq).padStart(6, '0')}`;
      const previous = { type: 'message', user: userId, text: m.before, ts: m.ts, thread_ts: m.threadTs, ...(m.botId ? { bot_id: m.botId } : {}) };
      const event =
        kind === 'edited'
          ? { type: 'message', subtype: 'message_changed', hidden: true, channel: dmChannel(userId), channel_type: 'im', ts: eventTs, event_ts: eventTs, message: { ...previous, text: m.after ?? m.before, edited: { user: userId, ts: eventTs } }, previous_message: previous }
          : { type: 'message', subtype: 'message_deleted', hidden: true, channel: dmChannel(userId), channel_type: 'im', ts: eventTs, event_ts: eventTs, deleted_ts: m.ts, previous_message: previous };
      return app.slackRequests.event(event, { event_id: m.eventId ?? `EvChange${Date.now()}${seq}` });
    },

    /** The expert's thread for a ticket, once posted (the parent with Resolve / Release). */
    expertThread: (expert: Expert, ticketId: number, nth = 0) =>
      recorded(
        waitFor(
          () => app.slack.messages.filter((m) => m.channel === expert.slackUserId && !m.thread_ts && JSON.stringify(m.blocks ?? '').includes(`*HN-${ticketId}*`) && JSON.stringify(m.blocks ?? '').includes('The customer knows you as'))[nth],
          `the expert's thread for HN-${ticketId}`,
        ),
      ),

    /** The requester's ticket thread (the confirmation DM). */
    requesterThread: (userId: string, ticketId: number) =>
      recorded(waitFor(() => app.slack.messages.find((m) => m.channel === userId && !m.thread_ts && JSON.stringify(m.blocks ?? '').includes(`*HN-${ticketId}*`)), `the requester's thread for HN-${ticketId}`)),

    replies: (parent: PostedMessage) => app.slack.messages.filter((m) => m.thread_ts === parent.ts && m.conversation === parent.conversation),
  };
}

/** Public comments on a fake Zendesk ticket written by Helpnet's API user. */
export function helpnetComments(app: TestApp, zendeskTicketId: number) {
  return (app.zendesk.comments.get(zendeskTicketId) ?? []).filter((c) => c.public && c.author_id === app.zendesk.apiUser.id);
}

/**
 * A Zendesk ticket filed through the webhook and booked by a new MS Exchange expert, once
 * the expert's thread is posted and the customer has been told on Zendesk.
 */
export async function bookedZendeskTicket(app: TestApp, people: ReturnType<typeof slackPeople>, o: { description: string; requester?: { name: string; email: string }; expert?: { name: string; email: string } }) {
  const expert = await createQualifiedExpert('exchange-l1', 'ms-exchange', o.expert ?? {});
  const zd = app.zendesk.addTicket({ description: o.description, requester: o.requester ?? { name: 'Nora Limit', email: 'nora@customer.example' }, tags: ['ms-exchange'] });
  await app.zendeskWebhooks.send({ ticket: { id: String(zd.id), updated_at: zd.updated_at } });
  const ticket = await waitFor(() => Ticket.findOne({ where: { source: 'zendesk', externalId: String(zd.id) } }), 'the ticket');
  await people.book(expert, ticket.id);
  const thread = await people.expertThread(expert, ticket.id);
  await waitFor(() => helpnetComments(app, zd.id).length === 1, 'the booking comment');
  return { expert, zd, ticket, thread };
}
