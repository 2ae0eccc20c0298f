import { createHmac } from 'node:crypto';

/**
 * Sends requests to Helpnet's own /slack/events exactly as Slack does — signed with the
 * sandbox's signing secret (`v0=` HMAC-SHA256 of `v0:{ts}:{body}`) — so the real listeners
 * answer the sandbox page's clicks, messages, commands and modal submissions.
 */

export interface SlackRequestAnswer {
  status: number;
  /** The answer's body, parsed when it is JSON (a view submission's response_action, a command's text). */
  body: unknown;
}

export function signSlackRequest(signingSecret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export function slackRequester(eventsUrl: string, signingSecret: string) {
  async function send(body: string, contentType: string): Promise<SlackRequestAnswer> {
    const timestamp = Math.floor(Date.now() / 1000);
    const res = await fetch(eventsUrl, {
      method: 'POST',
      headers: { 'content-type': contentType, 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signSlackRequest(signingSecret, timestamp, body) },
      body,
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      // Not JSON: kept as text.
    }
    return { status: res.status, body: parsed };
  }
  return {
    /** An interactive payload (block_actions, view_submission) in a `payload` form field. */
    interaction: (payload: Record<string, unknown>) => send(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), 'application/x-www-form-urlencoded'),
    /** A slash command, form-encoded. */
    command: (fields: Record<string, string>) => send(new URLSearchParams(fields).toString(), 'application/x-www-form-urlencoded'),
    /** An Events API envelope. */
    event: (envelope: Record<string, unknown>) => send(JSON.stringify(envelope), 'application/json'),
  };
}

export type SlackRequester = ReturnType<typeof slackRequester>;
