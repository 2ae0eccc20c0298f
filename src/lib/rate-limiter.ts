/**
 * A token bucket per key (e.g. client address): `capacity` requests at once, refilled at
 * `perMinute` a minute. In memory: per process, which is what a first line of defence needs.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly capacity: number,
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one token; returns 0 if allowed, else the milliseconds until one is available. */
  take(key: string): number {
    const now = this.now();
    const refillPerMs = this.perMinute / 60_000;
    const b = this.buckets.get(key) ?? { tokens: this.capacity, at: now };
    b.tokens = Math.min(this.capacity, b.tokens + (now - b.at) * refillPerMs);
    b.at = now;
    if (this.buckets.size > 50_000) this.buckets.clear(); // bounded memory under an address flood
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - b.tokens) / refillPerMs);
  }
}
