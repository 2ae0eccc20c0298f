import { isIPv6 } from 'node:net';

/**
 * A token bucket per key (e.g. client address): `capacity` requests at once, refilled at
 * `perMinute` a minute. In memory: per process, which is what a first line of defence needs.
 * At most `maxKeys` buckets are kept: past that, buckets that have filled up again (which
 * hold nothing a new one would not) go first, then the least recently used, down to nine
 * tenths — so a flood of new addresses cannot grow memory, nor reset everyone else's
 * limits at once, nor make every request sweep the map.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly capacity: number,
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
    private readonly maxKeys = 50_000,
  ) {}

  /** Takes one token; returns 0 if allowed, else the milliseconds until one is available. */
  take(key: string): number {
    const now = this.now();
    const refillPerMs = this.perMinute / 60_000;
    const b = this.buckets.get(key) ?? { tokens: this.capacity, at: now };
    b.tokens = Math.min(this.capacity, b.tokens + (now - b.at) * refillPerMs);
    b.at = now;
    const allowed = b.tokens >= 1;
    if (allowed) b.tokens -= 1;
    // Re-inserted, so the map's order is least recently used first.
    this.buckets.delete(key);
    this.buckets.set(key, b);
    if (this.buckets.size > this.maxKeys) this.evict(now, refillPerMs);
    return allowed ? 0 : Math.ceil((1 - b.tokens) / refillPerMs);
  }

  /** How many addresses are being tracked. */
  get size(): number {
    return this.buckets.size;
  }

  /** Down to nine tenths of the bound, so that the sweep, which reads every bucket, runs once per many new keys. */
  private evict(now: number, refillPerMs: number): void {
    const target = Math.floor(this.maxKeys * 0.9);
    for (const [key, b] of this.buckets) {
      if (b.tokens + (now - b.at) * refillPerMs >= this.capacity) this.buckets.delete(key);
    }
    for (const key of this.buckets.keys()) {
      if (this.buckets.size <= target) break;
      this.buckets.delete(key);
    }
  }
}

/**
 * The key a client address is limited under: an IPv6 address by its /64 (one customer's
 * network hands out a whole /64, so rotating the rest of the address must not reset the
 * limit); an IPv4 address (or IPv4-mapped IPv6) as it is.
 */
export function clientKey(ip: string | undefined): string {
  if (!ip) return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (!isIPv6(ip)) return ip;
  const [head = '', tail = ''] = ip.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((g) => (parseInt(g, 16) || 0).toString(16))
    .join(':')}::/64`;
}
