import { createHmac } from 'node:crypto';
import { postToApp, type AppResponse, type PostFn } from './post-to-app.ts';

/**
 * Sends requests into the app exactly as Slack does: `v0=` HMAC-SHA256 of `v0:{ts}:{body}`
 * in X-Slack-Signature, seconds in X-Slack-Request-Timestamp, optional retry headers.
 * No test-framework imports.
 */

export function signSlackBody(signingSecret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface SendOptions {
  /** Seconds since the epoch; defaults to now. */
  timestamp?: number;
  /** Sign with this secret instead (to prove bad signatures are refused). */
  signWith?: string;
  /** Send no signature headers at all. */
  unsigned?: boolean;
  retryNum?: number;
  retryReason?: string;
}


// Across senders (an app restarted in a test gets a new one), so response URLs never repeat.
let sent = 0;

export class SlackRequestSender {
  /**
   * Makes the `response_url` of each interaction and command, keyed `<user id>/<n>`: set it
   * to the fake Slack's (FakeSlack.responseUrl) to see what the app answers there.
   */
  responseUrl: (key: string) => string = (key) => `https://hooks.slack.invalid/${key}`;

  constructor(
    private readonly appUrl: string,
    private readonly signingSecret: string,
    private readonly path = '/slack/events',
    private readonly post: PostFn = postToApp,
  ) {}

  /** A slash command, form-encoded as Slack sends it. */
  command(fields: { command?: string; text?: string; user_id: string; user_name?: string; channel_id?: string; trigger_id?: string; team_id?: string; response_url?: string }, opts: SendOptions = {}) {
    const form = new URLSearchParams({
      token: 'deprecated-verification-token',
      team_id: fields.team_id ?? 'T0HELPNET',
      team_domain: 'helpnet-test',
      channel_id: fields.channel_id ?? 'C0GENERAL1',
      channel_name: 'general',
      user_id: fields.user_id,
      user_name: fields.user_name ?? 'someone',
      command: fields.command ?? '/helpnet',
      text: fields.text ?? '',
      api_app_id: 'A0HELPNET',
      is_enterprise_install: 'false',
      response_url: fields.response_url ?? this.responseUrl(`${fields.user_id}/${++sent}`),
      trigger_id: fields.trigger_id ?? `trigger.${Date.now()}`,
    });
    return this.send(form.toString(), 'application/x-www-form-urlencoded', opts);
  }

  /** An interactive payload (`block_actions`, `view_submission`, …) in a `payload` form field. */
  interaction(payload: Record<string, unknown>, opts: SendOptions = {}) {
    const form = new URLSearchParams({ payload: JSON.stringify(payload) });
    return this.send(form.toString(), 'application/x-www-form-urlencoded', opts);
  }

  blockActions(p: { user_id: string; action_id: string; value?: string; trigger_id?: string; channel_id?: string; message_ts?: string }, opts: SendOptions = {}) {
    return this.interaction(
      {
        type: 'block_actions',
        team: { id: 'T0HELPNET', domain: 'helpnet-test' },
        user: { id: p.user_id, username: 'someone', team_id: 'T0HELPNET' },
        api_app_id: 'A0HELPNET',
        trigger_id: p.trigger_id ?? `trigger.${Date.now()}`,
        container: { type: 'message', channel_id: p.channel_id ?? 'C0GENERAL1', message_ts: p.message_ts ?? '1700000000.000001' },
        channel: { id: p.channel_id ?? 'C0GENERAL1', name: 'general' },
        message: { ts: p.message_ts ?? '1700000000.000001', type: 'message' },
        response_url: this.responseUrl(`${p.user_id}/${++sent}`),
        actions: [{ type: 'button', action_id: p.action_id, block_id: 'b1', value: p.value, action_ts: `${Date.now() / 1000}` }],
      },
      opts,
    );
  }

  viewSubmission(p: { user_id: string; callback_id: string; values: Record<string, Record<string, unknown>>; private_metadata?: string; view_id?: string }, opts: SendOptions = {}) {
    return this.interaction(
      {
        type: 'view_submission',
        team: { id: 'T0HELPNET', domain: 'helpnet-test' },
        user: { id: p.user_id, username: 'someone', team_id: 'T0HELPNET' },
        api_app_id: 'A0HELPNET',
        trigger_id: `trigger.${Date.now()}`,
        view: {
          id: p.view_id ?? `V${Date.now()}`,
          type: 'modal',
          callback_id: p.callback_id,
          private_metadata: p.private_metadata ?? '',
          state: { values: p.values },
        },
      },
      opts,
    );
  }

  /** An Events API `event_callback` envelope (JSON). */
  event(event: Record<string, unknown>, opts: SendOptions & { event_id?: string } = {}) {
    const body = JSON.stringify({
      token: 'deprecated-verification-token',
      team_id: 'T0HELPNET',
      api_app_id: 'A0HELPNET',
      event,
      type: 'event_callback',
      event_id: opts.event_id ?? `Ev${Date.now()}${Math.floor(Math.random() * 1e6)}`,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ team_id: 'T0HELPNET', user_id: 'U0HELPBOT', is_bot: true }],
    });
    return this.send(body, 'application/json', opts);
  }

  async send(body: string, contentType: string, opts: SendOptions = {}): Promise<AppResponse> {
    const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
    const headers: Record<string, string> = { 'content-type': contentType };
    if (!opts.unsigned) {
      headers['x-slack-request-timestamp'] = String(timestamp);
      headers['x-slack-signature'] = signSlackBody(opts.signWith ?? this.signingSecret, timestamp, body);
    }
    if (opts.retryNum !== undefined) {
      headers['x-slack-retry-num'] = String(opts.retryNum);
      headers['x-slack-retry-reason'] = opts.retryReason ?? 'http_timeout';
    }
    return this.post(`${this.appUrl}${this.path}`, headers, body);
  }
}
