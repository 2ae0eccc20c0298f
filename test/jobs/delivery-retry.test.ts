import { describe, expect, it } from 'vitest';
import { deliveryRetryDelay } from '../../src/jobs/definitions/delivery-retry.ts';
import { NotReadyError } from '../../src/lib/not-ready-error.ts';
import { PermanentDeliveryError, RetryableDeliveryError } from '../../src/slack/delivery/slack-errors.ts';

describe('deliveryRetryDelay', () => {
  it('backs off from 1 s to 5 minutes, never sooner than a Retry-After, and stops on a refusal', () => {
    expect([1, 2, 3, 9, 10, 50].map((a) => deliveryRetryDelay(a, new Error('network')))).toEqual([1000, 2000, 4000, 256_000, 300_000, 300_000]);
    expect(deliveryRetryDelay(1, new RetryableDeliveryError('Slack rate limit', 30_000))).toBe(30_000);
    expect(deliveryRetryDelay(5, new PermanentDeliveryError('channel_not_found'))).toBeNull();
  });

  it('waits on something else soon at first, then less often, up to a minute, never sooner than asked', () => {
    const waiting = new NotReadyError('the thread is not posted yet', 250);
    expect([1, 2, 3, 4, 8, 9, 30].map((a) => deliveryRetryDelay(a, waiting))).toEqual([250, 500, 1000, 2000, 32_000, 60_000, 60_000]);
    expect(deliveryRetryDelay(1, new NotReadyError('the update budget', 540_000))).toBe(540_000);
  });
});
