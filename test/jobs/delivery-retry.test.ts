import { ConnectionRefusedError } from 'sequelize';
import { describe, expect, it } from 'vitest';
import { deliveryRetryDelay, MAX_UNEXPLAINED_ATTEMPTS } from '../../src/jobs/definitions/delivery-retry.ts';
import { NotReadyError } from '../../src/lib/not-ready-error.ts';
import { RetryableMailError } from '../../src/mail/mailer.ts';
import { PermanentDeliveryError, RetryableDeliveryError } from '../../src/slack/delivery/slack-errors.ts';
import { PermanentZendeskError, RetryableZendeskError, ZendeskAccessError } from '../../src/zendesk/client.ts';

describe('deliveryRetryDelay', () => {
  it('backs off from 1 s to 5 minutes, for ever, on what a retry can fix, never sooner than a Retry-After', () => {
    const outage = new RetryableDeliveryError('Slack answered 503');
    expect([1, 2, 3, 9, 10, 50, 5000].map((a) => deliveryRetryDelay(a, outage))).toEqual([1000, 2000, 4000, 256_000, 300_000, 300_000, 300_000]);
    expect(deliveryRetryDelay(1, new RetryableDeliveryError('Slack rate limit', 30_000))).toBe(30_000);
    for (const error of [new RetryableZendeskError('Zendesk answered 500'), new ZendeskAccessError('Zendesk answered 401', 401), new RetryableMailError('connection refused'), new ConnectionRefusedError(new Error('ECONNREFUSED'))]) {
      expect(deliveryRetryDelay(500, error)).toBe(300_000);
    }
  });

  it('gives up at once on a refusal retrying cannot fix', () => {
    expect(deliveryRetryDelay(1, new PermanentDeliveryError('channel_not_found'))).toBeNull();
    expect(deliveryRetryDelay(1, new PermanentZendeskError('Zendesk answered 422', 422))).toBeNull();
  });

  it('gives up on a failure nobody recognised (a bug, bad data) after a bounded number of tries', () => {
    const poison = new TypeError("Cannot read properties of undefined (reading 'id')");
    expect(deliveryRetryDelay(1, poison)).toBe(1000);
    expect(deliveryRetryDelay(MAX_UNEXPLAINED_ATTEMPTS - 1, poison)).toBe(256_000);
    expect(deliveryRetryDelay(MAX_UNEXPLAINED_ATTEMPTS, poison)).toBeNull();
  });

  it('waits on something else soon at first, then less often, up to a minute, never sooner than asked', () => {
    const waiting = new NotReadyError('the thread is not posted yet', 250);
    expect([1, 2, 3, 4, 8, 9, 30].map((a) => deliveryRetryDelay(a, waiting))).toEqual([250, 500, 1000, 2000, 32_000, 60_000, 60_000]);
    expect(deliveryRetryDelay(1, new NotReadyError('the update budget', 540_000))).toBe(540_000);
  });
});
