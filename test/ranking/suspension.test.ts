import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Expert, SlackMessage, Ticket } from '../../src/db/models/index.ts';
import { bookTicket } from '../../src/domain/booking/book-ticket.ts';
import { reinstateByOperator } from '../../src/domain/experts/reinstate-by-operator.ts';
import { suspendExpert } from '../../src/domain/experts/suspend-expert.ts';
import { createQualifiedExpert } from '../support/experts.ts';
import { createExpert } from '../support/factories.ts';
import { startTestApp, type TestApp } from '../support/start-test-app.ts';
import { TEST_ENGINE } from '../support/test-database.ts';
import { testRouting } from '../support/test-routing.ts';
import { fileWidgetTicket } from '../support/tickets.ts';
import { sleep, waitFor } from '../support/wait-for.ts';
import { categoryId, countSurvey, pagingOrder } from './support.ts';

const MANAGER = 'U0MGR0001';
const MANAGERS_CHANNEL = 'C0MGRS001';

/**
 * Suspension and reinstatement (issue points 5 and 6), on the real server with Slack faked
 * at its HTTP boundary. No prior (priorWeight 0), so a score is the plain average of the
 * surveys counted at one moment, and the threshold can be hit exactly.
 */
describe(`Suspension and reinstatement on ${TEST_ENGINE}`, () => {
  let app: TestApp;
  let exchange: number;
  const when = new Date('2030-06-01T12:00:00Z');

  beforeAll(async () => {
    app = await startTestApp({ routing: { ...testRouting(), ranking: { halfLifeDays: 90, priorWeight: 0, suspendBelow: 2, minSurveys: 5 } }, env: { MANAGER_SLACK_IDS: `${MANAGER},U0MGR0002` } });
    exchange = await categoryId('ms-exchange');
  });
  afterAll(async () => {
    await app.close();
  });

  const survey = (expertId: number, rating: number) => countSurvey(app.server.services, { expertId, categoryId: exchange, rating, at: when });
  const surveys = async (expertId: number, rating: number, n: number) => {
    const reviews = [];
    for (let i = 0; i < n; i++) reviews.push((await survey(expertId, rating)).review);
    return reviews;
  };
  const suspended = async (id: number) => (await Expert.findByPk(id, { rejectOnEmpty: true })).suspendedAt !== null;
  const answers = (user: string) => app.slack.responses().filter((r) => r.key.split('/')[0] === user);
  const lastAnswer = async (user: string, count: number) => (await waitFor(() => (answers(user).length >= count ? answers(user) : undefined), `answer ${count} to ${user}`))[count - 1]!;
  const managersMessageAbout = (expertId: number) => app.slack.messages.find((m) => m.channel === MANAGERS_CHANNEL && JSON.stringify(m.blocks ?? '').includes(`"value":"${expertId}"`));

  it('suspends just below the threshold once there are enough surveys, and not at or above it, nor before', async () => {
    const [below, at, above, few] = await Promise.all([createExpert(), createExpert(), createExpert(), createExpert()]);
    expect(await surveys(below.id, 1.99, 5)).toEqual(['kept', 'kept', 'kept', 'kept', 'suspended']);
    expect(await surveys(at.id, 2, 5)).toEqual(Array(5).fill('kept'));
    expect(await surveys(above.id, 2.01, 5)).toEqual(Array(5).fill('kept'));
    expect(await surveys(few.id, 1, 4)).toEqual(Array(4).fill('kept'));
    expect(await suspended(below.id)).toBe(true);
    for (const e of [at, above, few]) expect(await suspended(e.id)).toBe(false);
    const row = await Expert.findByPk(below.id, { rejectOnEmpty: true });
    expect(row.suspensionReason).toBe("score 1.99 after 5 surveys, below the network's threshold of 2.00");
    // A suspended expert is not judged again (no second alert) until reinstated.
    expect(await surveys(below.id, 1, 3)).toEqual(Array(3).fill('kept'));
    expect(await SlackMessage.count({ where: { purpose: 'suspension_alert', expertId: below.id } })).toBe(1);
  });

  it('tells the expert and the managers; a suspended expert is not paged and hears why Book is refused; only a manager reinstates, once', async () => {
    const expert = await createQualifiedExpert('exchange-l1', 'ms-exchange');
    const user = expert.slackUserId!;
    expect(await surveys(expert.id, 1, 5)).toEqual(['kept', 'kept', 'kept', 'kept', 'suspended']);
    const reason = "score 1.00 after 5 surveys, below the network's threshold of 2.00";

    // The expert's DM: why, and that a manager can reinstate them.
    const dm = await waitFor(() => app.slack.messages.find((m) => m.channel === user && String(m.text).includes('suspended')), 'the DM to the expert');
    expect(dm.text).toContain(reason);
    expect(dm.text).toContain('A Helpnet manager can reinstate you');
    // The managers' message: the expert named, the reason, a Reinstate button carrying the expert's id.
    const alert = await waitFor(() => managersMessageAbout(expert.id), "the managers' message");
    const alertText = JSON.stringify(alert.blocks);
    expect(alertText).toContain(`<@${user}>`);
    expect(alertText).toContain(expert.name);
    expect(alertText).toContain(reason);
    expect(alertText).toContain('"action_id":"expert.reinstate"');

    // Not paged: neither by the selection nor by a real dispatch.
    expect(await pagingOrder(app.server.services, 'exchange-l1', 'ms-exchange')).not.toContain(expert.id);
    const ticket = await fileWidgetTicket(app.server.services, { description: 'Calendar invitations vanish.', customer: { name: 'Pat Private', email: 'pat.private@customer.example' } });
    await waitFor(async () => (await SlackMessage.count({ where: { ticketId: ticket.id, purpose: 'dispatch', status: 'sent' } })) === 1, 'the dispatch post');
    expect((await SlackMessage.findAll({ where: { ticketId: ticket.id, purpose: 'page' } })).map((p) => p.expertId)).not.toContain(expert.id);

    // Book is refused, with the reason.
    await app.slackRequests.blockActions({ user_id: user, action_id: 'ticket.book', value: `HN-${ticket.id}`, channel_id: 'C0EXCH001' });
    const refusal = await lastAnswer(user, 1);
    expect(refusal.response_type).toBe('ephemeral');
    expect(refusal.text).toContain(`You cannot book HN-${ticket.id}: your expert status is suspended (${reason})`);
    expect((await Ticket.findByPk(ticket.id, { rejectOnEmpty: true })).status).toBe('dispatched');

    // Someone not a manager (even an expert, even the suspended one) presses Reinstate: refused, nothing changes.
    const stranger = await createExpert();
    for (const clicker of [stranger.slackUserId!, user]) {
      await app.slackRequests.blockActions({ user_id: clicker, action_id: 'expert.reinstate', value: String(expert.id), channel_id: MANAGERS_CHANNEL, message_ts: alert.ts });
      const refused = await lastAnswer(clicker, clicker === user ? 2 : 1);
      expect(refused.response_type).toBe('ephemeral');
      expect(refused.text).toBe('Only Helpnet managers can reinstate an expert. Nothing was changed.');
    }
    await sleep(300);
    expect(await suspended(expert.id)).toBe(true);
    expect(managersMessageAbout(expert.id)!.updates).toBe(0);
    expect(app.slack.messages.filter((m) => m.channel === user && String(m.text).includes('reinstated'))).toHaveLength(0);

    // A manager reinstates: paging and booking come back, the managers' message loses its button, the expert is told.
    await app.slackRequests.blockActions({ user_id: MANAGER, action_id: 'expert.reinstate', value: String(expert.id), channel_id: MANAGERS_CHANNEL, message_ts: alert.ts });
    expect((await lastAnswer(MANAGER, 1)).text).toContain(`You reinstated *${expert.name}*`);
    expect(await suspended(expert.id)).toBe(false);
    const updated = await waitFor(() => (managersMessageAbout(expert.id) === undefined ? app.slack.messages.find((m) => m.ts === alert.ts && m.conversation === alert.conversation && m.updates === 1) : undefined), "the managers' message updated");
    expect(JSON.stringify(updated.blocks)).not.toContain('expert.reinstate');
    expect(JSON.stringify(updated.blocks)).toContain(`Reinstated by <@${MANAGER}>`);
    await waitFor(() => app.slack.messages.find((m) => m.channel === user && String(m.text).includes('reinstated you')), 'the DM telling the expert');
    expect(await pagingOrder(app.server.services, 'exchange-l1', 'ms-exchange')).toContain(expert.id);
    expect(await bookTicket(app.server.services, { ticketId: ticket.id, expertId: expert.id })).toBe('booked');

    // A second click (the same manager or another): already reinstated, nothing more posted.
    await app.slackRequests.blockActions({ user_id: 'U0MGR0002', action_id: 'expert.reinstate', value: String(expert.id), channel_id: MANAGERS_CHANNEL, message_ts: alert.ts });
    expect((await lastAnswer('U0MGR0002', 1)).text).toBe(`*${expert.name}* is already reinstated.`);
    await sleep(300);
    expect(app.slack.messages.filter((m) => m.channel === user && String(m.text).includes('reinstated you'))).toHaveLength(1);
    expect(app.slack.messages.find((m) => m.ts === alert.ts && m.conversation === alert.conversation)!.updates).toBe(1);

    // Nothing about the customer reached Slack in these messages.
    for (const m of [dm, updated]) expect(JSON.stringify(m)).not.toMatch(/Pat Private|pat\.private/);
  });

  it('an operator suspends with a reason and reinstates as the managers do: the expert and the managers are told in Slack', async () => {
    const expert = await createQualifiedExpert('exchange-l1', 'ms-exchange');
    const user = expert.slackUserId!;
    const outcome = await suspendExpert(app.server.services, { expertId: expert.id, reason: 'Missed three bookings <!channel>' });
    expect(outcome).toEqual({ outcome: 'suspended', expertName: expert.name });
    expect(await suspendExpert(app.server.services, { expertId: expert.id, reason: 'again' })).toMatchObject({ outcome: 'already' });

    const dm = await waitFor(() => app.slack.messages.find((m) => m.channel === user && String(m.text).includes('suspended')), 'the DM to the expert');
    expect(dm.text).toContain('A Helpnet operator has suspended your Helpnet expert status: Missed three bookings &lt;!channel&gt;.');
    const alert = await waitFor(() => managersMessageAbout(expert.id), "the managers' message");
    expect(JSON.stringify(alert.blocks)).toContain('Missed three bookings &lt;!channel&gt;');
    expect(await pagingOrder(app.server.services, 'exchange-l1', 'ms-exchange')).not.toContain(expert.id);

    expect(await reinstateByOperator(app.server.services, expert.id)).toEqual({ outcome: 'reinstated', expertName: expert.name });
    expect(await suspended(expert.id)).toBe(false);
    const updated = await waitFor(() => app.slack.messages.find((m) => m.ts === alert.ts && m.conversation === alert.conversation && m.updates === 1), "the managers' message updated");
    expect(JSON.stringify(updated.blocks)).not.toContain('expert.reinstate');
    expect(JSON.stringify(updated.blocks)).toContain('Reinstated by operator (CLI)*');
    await waitFor(() => app.slack.messages.find((m) => m.channel === user && String(m.text).includes('reinstated you')), 'the DM telling the expert');
    expect(await reinstateByOperator(app.server.services, expert.id)).toMatchObject({ outcome: 'already' });
    expect(await pagingOrder(app.server.services, 'exchange-l1', 'ms-exchange')).toContain(expert.id);
  });
});
