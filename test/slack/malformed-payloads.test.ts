import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/start-test-app.ts';
import { TEST_ENGINE } from '../support/test-database.ts';

/**
 * Requests correctly signed by Slack's secret but not shaped as Slack shapes them (a bug in
 * a client, a test harness, someone holding the secret): answered at once — 400, or
 * acknowledged and ignored with a log line — never 500, never left to time out.
 */
describe(`signed but malformed Slack payloads, on ${TEST_ENGINE}`, () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
  const cases: [string, string, string][] = [
    ['interactivity with payload null', form({ payload: 'null' }), 'application/x-www-form-urlencoded'],
    ['interactivity whose payload is not JSON', form({ payload: '{nope' }), 'application/x-www-form-urlencoded'],
    ['a button click without a user', form({ payload: JSON.stringify({ type: 'block_actions', team: { id: 'T0HELPNET' }, actions: [{ action_id: 'ticket.book', value: 'HN-1', type: 'button' }], response_url: 'https://hooks.slack.invalid/x', trigger_id: 't.1' }) }), 'application/x-www-form-urlencoded'],
    ['a click on an action Helpnet does not have', form({ payload: JSON.stringify({ type: 'block_actions', team: { id: 'T0HELPNET' }, user: { id: 'U0SOMEONE' }, actions: [{ action_id: 'ticket.frobnicate', value: 'x', type: 'button' }], response_url: 'https://hooks.slack.invalid/x', trigger_id: 't.1' }) }), 'application/x-www-form-urlencoded'],
    ['a view submission without a user', form({ payload: JSON.stringify({ type: 'view_submission', team: { id: 'T0HELPNET' }, view: { id: 'V1', callback_id: 'ticket.create', state: { values: {} } } }) }), 'application/x-www-form-urlencoded'],
    ['a slash command without user_id', form({ command: '/helpnet', text: 'help', team_id: 'T0HELPNET', trigger_id: 't.1', response_url: 'https://hooks.slack.invalid/x' }), 'application/x-www-form-urlencoded'],
    ['a slash command Helpnet does not have', form({ command: '/frobnicate', text: '', user_id: 'U0SOMEONE', team_id: 'T0HELPNET', trigger_id: 't.1', response_url: 'https://hooks.slack.invalid/x' }), 'application/x-www-form-urlencoded'],
    ['an event without its event', JSON.stringify({ type: 'event_callback', team_id: 'T0HELPNET', event_id: 'EvBad1', event_time: 1 }), 'application/json'],
    ['a message event without a user', JSON.stringify({ type: 'event_callback', team_id: 'T0HELPNET', event_id: 'EvBad2', event_time: 1, event: { type: 'message', channel: 'D0X', channel_type: 'im', text: 'hi', ts: '1.000001' } }), 'application/json'],
    ['a JSON body that is not an object', JSON.stringify([1, 2, 3]), 'application/json'],
  ];

  it.each(cases)('answers %s at once with 400 or an acknowledgement, never 500', async (_what, body, type) => {
    const started = Date.now();
    const res = await app.slackRequests.send(body, type);
    expect(Date.now() - started).toBeLessThan(2500);
    expect([200, 400]).toContain(res.status);
  });

  it('keeps answering well-formed requests', async () => {
    const res = await app.slackRequests.command({ user_id: 'U0CUSTOMER', text: 'nonsense' });
    expect(res.status).toBe(200);
  });
});
