import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    // Vitest's default (one worker fewer than the cores) is one worker on a two-core machine,
    // and these tests spend much of their time waiting on servers, timers and the database:
    // three at once there take half the time.
    maxWorkers: Math.max(3, availableParallelism() - 1),
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // expect.poll waits for what a browser or a server does next; its default second is too
    // short on a loaded two-core machine (a poll that succeeds returns at once anyway).
    expect: { poll: { timeout: 15_000, interval: 50 } },
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
