/**
 * Failed sign-ins counted per key (an account's email, a client address): after `maxFailures`
 * within `windowMs`, the key is locked for `lockMs`; a successful sign-in clears the
 * account's count. In memory, per process (as the widget's rate limit): enough to make
 * guessing passwords slow, bounded in memory by `maxKeys` (the oldest entries go first).
 */
export class LoginThrottle {
  private readonly entries = new Map<string, { failures: number; first: number; lockedUntil: number }>();

  constructor(
    private readonly opts: { maxFailures: number; windowMs: number; lockMs: number; maxKeys?: number } = { maxFailures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 },
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds until any of these keys may try again (0: they may now). */
  lockedFor(keys: readonly string[]): number {
    const now = this.now();
    return Math.max(0, ...keys.map((k) => (this.entries.get(k)?.lockedUntil ?? 0) - now));
  }

  /** Counts a failure against each key, locking those that reach the limit. */
  fail(keys: readonly string[]): void {
    const now = this.now();
    for (const key of keys) {
      let e = this.entries.get(key);
      if (!e || now - e.first > this.opts.windowMs || (e.lockedUntil && e.lockedUntil <= now)) e = { failures: 0, first: now, lockedUntil: 0 };
      e.failures += 1;
      if (e.failures >= this.opts.maxFailures) e.lockedUntil = now + this.opts.lockMs;
      this.entries.delete(key);
      this.entries.set(key, e);
    }
    const max = this.opts.maxKeys ?? 50_000;
    for (const key of this.entries.keys()) {
      if (this.entries.size <= max) break;
      this.entries.delete(key);
    }
  }

  /** Forgets a key's failures (after a successful sign-in). */
  clear(key: string): void {
    this.entries.delete(key);
  }
}
