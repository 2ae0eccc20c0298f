import { createHmac } from 'node:crypto';
import { postToApp, type AppResponse, type PostFn } from './post-to-app.ts';

// Written independently of src/zendesk/webhook-signature.ts so a bug there cannot hide here.
export function signZendeskWebhook(secret: string, timestamp: string, body: string): string {
  return createHmac('sha256', secret).update(timestamp + body).digest('base64');
}

/** Sends webhooks into the app signed as Zendesk signs them. No test-framework imports. */
export class ZendeskWebhookSender {
  constructor(
    private readonly appUrl: string,
    private readonly secret: string,
    private readonly path = '/zendesk/webhook',
    private readonly post: PostFn = postToApp,
  ) {}

  /**
   * `timestamp` fixes the signature timestamp (a replay of one request sends the same one);
   * `invocationId` sets Zendesk's `x-zendesk-webhook-invocation-id` header, which stays the
   * same when Zendesk retries a delivery.
   */
  async send(payload: unknown, opts: { timestamp?: Date; signWith?: string; unsigned?: boolean; invocationId?: string } = {}): Promise<AppResponse> {
    const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
    // Zendesk sends an ISO-8601 UTC timestamp without milliseconds.
    const timestamp = (opts.timestamp ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (opts.invocationId !== undefined) headers['x-zendesk-webhook-invocation-id'] = opts.invocationId;
    if (!opts.unsigned) {
      headers['x-zendesk-webhook-signature-timestamp'] = timestamp;
      headers['x-zendesk-webhook-signature'] = signZendeskWebhook(opts.signWith ?? this.secret, timestamp, body);
    }
    return this.post(`${this.appUrl}${this.path}`, headers, body);
  }
}
