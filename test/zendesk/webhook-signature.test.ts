import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { verifyZendeskSignature } from '../../src/zendesk/webhook-signature.ts';
import { signZendeskWebhook, ZendeskWebhookSender } from '../support/zendesk-webhooks.ts';

const SECRET = 'dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==';

describe('Zendesk webhook signatures', () => {
  it('matches the documented scheme: base64(HMAC-SHA256(secret, timestamp + body))', () => {
    // Computed independently: printf '%s' '2024-01-01T00:00:00Z{"a":1}' | openssl dgst -sha256 -hmac SECRET -binary | base64
    expect(signZendeskWebhook(SECRET, '2024-01-01T00:00:00Z', '{"a":1}')).toBe('dyBh/khC4znGCUntyqyr0kA7Q/LF9uwT60UxbW/Xtfw=');
  });

  it('verifies what the test sender sends, and refuses tampering, missing headers and stale timestamps', async () => {
    const received: { headers: Record<string, string | undefined>; body: string }[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        received.push({
          headers: { signature: req.headers['x-zendesk-webhook-signature'] as string, timestamp: req.headers['x-zendesk-webhook-signature-timestamp'] as string },
          body,
        });
        res.end('{}');
      });
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const sender = new ZendeskWebhookSender(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, SECRET);
    await sender.send({ ticket: { id: 1 } });
    await sender.send({ ticket: { id: 1 } }, { signWith: 'other' });
    await sender.send({ ticket: { id: 1 } }, { unsigned: true });
    await sender.send({ ticket: { id: 1 } }, { timestamp: new Date(Date.now() - 6 * 60 * 1000) });
    server.close();

    const [good, wrongSecret, unsigned, stale] = received.map((r) => verifyZendeskSignature(SECRET, r.headers, r.body));
    expect(good).toEqual({ ok: true });
    expect(wrongSecret).toEqual({ ok: false, reason: 'mismatch' });
    expect(unsigned).toEqual({ ok: false, reason: 'missing' });
    expect(stale).toEqual({ ok: false, reason: 'stale' });
    expect(verifyZendeskSignature(SECRET, received[0]!.headers, received[0]!.body.replace('1', '2'))).toEqual({ ok: false, reason: 'mismatch' });
  });
});
