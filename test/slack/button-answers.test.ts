import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createQualifiedExpert } from '../support/experts.ts';
import { startTestApp, type TestApp } from '../support/start-test-app.ts';
import { TEST_ENGINE } from '../support/test-database.ts';
import { sleep, waitFor } from '../support/wait-for.ts';
import { fileWidgetTicket } from '../support/tickets.ts';

/**
 * Book, Resolve and Release answer the clicker through the click's response_url: it works in
 * channels the bot is not a member of (where Slack refuses chat.postEphemeral), and Slack's
 * HTTP answer to the click does not wait for it.
 */
describe(`answers to ticket buttons on ${TEST_ENGINE}`, () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterEach(() => {
    app.slack.http.clearFaults();
  });
  afterAll(async () => {
    await app.close();
  });

  const file = async () => {
    const ticket = await fileWidgetTicket(app.server.services, { description: 'Calendar invitations arrive twice.', customer: { name: 'Cora', email: 'cora@example.com' } });
    await waitFor(() => app.slack.messages.some((m) => m.channel === 'C0EXCH001' && JSON.stringify(m.blocks).includes(`HN-${ticket.id}`)), 'the dispatch post');
    return ticket;
  };
  /** What the app sent to the response URLs of `user`'s clicks. */
  const answersTo = (user: string) => app.slack.responses().filter((r) => r.key.startsWith(`${user}/`));
  const click = (user: string, action: 'ticket.book' | 'ticket.resolve' | 'ticket.release', ticketId: number, channel = 'C0EXCH001') =>
    app.slackRequests.blockActions({ user_id: user, action_id: action, value: `HN-${ticketId}`, channel_id: channel });

  it('answers Book, Resolve and Release ephemerally at the response_url, in channels Slack will not post ephemerals to', async () => {
    // The bot is not in the group channel (it posts there with chat:write.public): Slack refuses ephemerals there.
    app.slack.http.inject('chat.postEphemeral', { kind: 'status', status: 200, body: { ok: false, error: 'not_in_channel' } }, 100);
    const ticket = await file();
    const [expert, other] = await Promise.all([createQualifiedExpert('exchange-l1', 'ms-exchange'), createQualifiedExpert('exchange-l1', 'ms-exchange')]);
    const user = expert.slackUserId!;

    expect((await click(user, 'ticket.book', ticket.id)).status).toBe(200);
    const booked = await waitFor(() => answersTo(user)[0], 'the answer to the Book click');
    expect(booked).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(booked.text).toContain(`You booked *HN-${ticket.id}*`);

    await click(other.slackUserId!, 'ticket.book', ticket.id);
    await waitFor(() => answersTo(other.slackUserId!)[0]?.text === 'Already booked — thanks!', 'the loser’s answer');
    await click(other.slackUserId!, 'ticket.resolve', ticket.id, `D${other.slackUserId!.slice(1)}`);
    await waitFor(() => answersTo(other.slackUserId!)[1]?.text?.includes('is not yours to resolve'), 'the answer to a Resolve that is not theirs');
    await click(other.slackUserId!, 'ticket.release', ticket.id, `D${other.slackUserId!.slice(1)}`);
    await waitFor(() => answersTo(other.slackUserId!)[2]?.text?.includes('is not yours to release'), 'the answer to a Release that is not theirs');

    await click(user, 'ticket.release', ticket.id, `D${user.slice(1)}`);
    const released = await waitFor(() => answersTo(user)[1], 'the answer to the Release click');
    expect(released).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(released.text).toContain(`You released *HN-${ticket.id}*`);
    for (const answer of [...answersTo(user), ...answersTo(other.slackUserId!)]) expect(answer).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(app.slack.callsTo('chat.postEphemeral')).toHaveLength(0);
  });

  it('answers the click at once when Slack is slow to take the answer, which arrives afterwards', async () => {
    const ticket = await file();
    const expert = await createQualifiedExpert('exchange-l1', 'ms-exchange');
    const user = expert.slackUserId!;
    // Slack takes 4 seconds to accept anything the app sends about the click.
    app.slack.http.inject('response_url', { kind: 'delay', ms: 4000 });
    app.slack.http.inject('chat.postEphemeral', { kind: 'delay', ms: 4000 });
    const started = Date.now();
    const res = await click(user, 'ticket.book', ticket.id);
    const answeredIn = Date.now() - started;
    expect(res.status).toBe(200);
    expect(answeredIn).toBeLessThan(2500);
    const answer = await waitFor(() => answersTo(user)[0], 'the answer, late', 15_000);
    expect(answer.text).toContain('You booked');
    expect(answer.at.getTime() - started).toBeGreaterThanOrEqual(3900);
    await ticket.reload();
    expect(ticket.status).toBe('booked');
  });

  it('still acknowledges the click when the response_url refuses the answer (expired)', async () => {
    const ticket = await file();
    const expert = await createQualifiedExpert('exchange-l1', 'ms-exchange');
    app.slack.http.inject('response_url', { kind: 'status', status: 404, body: { ok: false, error: 'expired_url' } });
    const res = await click(expert.slackUserId!, 'ticket.book', ticket.id);
    expect(res.status).toBe(200);
    await waitFor(() => app.slack.http.callsTo('response_url').some((c) => c.status === 404), 'the refused answer');
    await sleep(100);
    await ticket.reload();
    expect(ticket.status).toBe('booked');
  });
});
