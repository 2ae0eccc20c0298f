import { describe, expect, it } from 'vitest';
import { clientKey, RateLimiter } from '../../src/lib/rate-limiter.ts';

describe('RateLimiter', () => {
  it('refills over time and says how long to wait', () => {
    let now = 0;
    const limiter = new RateLimiter(2, 60, () => now);
    expect([limiter.take('a'), limiter.take('a')]).toEqual([0, 0]);
    expect(limiter.take('a')).toBe(1000);
    now += 1000;
    expect(limiter.take('a')).toBe(0);
  });

  it('past maxKeys drops the buckets that have filled up again before any limited one', () => {
    let now = 0;
    const limiter = new RateLimiter(1, 1, () => now, 10);
    for (let i = 0; i < 5; i++) limiter.take(`idle-${i}`);
    now += 120_000; // the idle ones have filled up again: they hold nothing a new bucket would not
    limiter.take('flooder');
    expect(limiter.take('flooder')).toBeGreaterThan(0);
    for (let i = 0; i < 5; i++) limiter.take(`new-${i}`);
    expect(limiter.size).toBe(6);
    expect(limiter.take('flooder')).toBeGreaterThan(0);
  });

  it('stays bounded under a flood of new addresses without resetting the recently limited ones', () => {
    const limiter = new RateLimiter(1, 1);
    const flood = (from: number, to: number) => {
      for (let i = from; i < to; i++) limiter.take(`10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`);
    };
    flood(0, 49_990);
    limiter.take('recent');
    expect(limiter.take('recent')).toBeGreaterThan(0);
    flood(49_990, 50_050);
    expect(limiter.size).toBeLessThanOrEqual(50_000);
    expect(limiter.take('recent')).toBeGreaterThan(0);
    // The sweep brought it well under the bound: the next new keys do not each sweep again.
    expect(limiter.size).toBeLessThan(46_000);
  });
});

describe('clientKey', () => {
  it('groups IPv6 by /64 and unwraps IPv4-mapped addresses', () => {
    expect(clientKey('2001:db8:1:2::1')).toBe(clientKey('2001:db8:1:2:aaaa:bbbb:cccc:dddd'));
    expect(clientKey('2001:db8:1:2::1')).not.toBe(clientKey('2001:db8:1:3::1'));
    expect(clientKey('2001:0db8:0001:0002::1')).toBe(clientKey('2001:db8:1:2::9'));
    expect(clientKey('::ffff:203.0.113.9')).toBe('203.0.113.9');
    expect(clientKey('203.0.113.9')).toBe('203.0.113.9');
    expect(clientKey(undefined)).toBe('unknown');
  });
});
