/** Helpers the benchmarks share: percentiles, task pools, a fresh database and server per run. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { stringify } from 'yaml';
import { loadConfig } from '../src/config/load-config.ts';
import { createLogger } from '../src/lib/logger.ts';
import { startServer } from '../src/server.ts';
import { FakeSlack } from '../test/support/fake-slack.ts';
import { FakeZendesk } from '../test/support/fake-zendesk.ts';

export type BenchEngine = 'mariadb' | 'sqlite';

/** The p-th percentile (0–100) of `xs`. */
export const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};

/** A new empty database: a SQLite file in a temporary directory, or `mariadbUrl`'s database dropped and created again. */
export async function freshDatabase(engine: BenchEngine, mariadbUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'helpnet-bench-'));
    return { url: `sqlite:${join(dir, 'bench.sqlite')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const u = new URL(mariadbUrl);
  const conn = await mysql.createConnection({ host: u.hostname, port: Number(u.port || 3306), user: u.username, password: u.password });
  const name = u.pathname.slice(1);
  await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
  await conn.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
  await conn.end();
  return { url: mariadbUrl, drop: async () => {} };
}

/** Runs `count` tasks, `concurrency` at a time. */
export async function pool(count: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

/**
 * Starts `count` tasks at `ratePerSecond`, each on time whether or not the earlier ones have
 * finished (an open load, as people writing independently make), and waits for all of them.
 */
export async function paced(count: number, ratePerSecond: number, task: (i: number) => Promise<void>): Promise<void> {
  const start = Date.now();
  const running: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const wait = start + (i * 1000) / ratePerSecond - Date.now();
    if (wait > 0) await new Promise((ok) => setTimeout(ok, wait));
    running.push(task(i));
  }
  await Promise.all(running);
}

/**
 * The real server on a fresh database, against fake Slack and Zendesk servers, with the
 * given routing; `stop()` closes and removes all of it.
 */
export async function startBenchServer(o: { engine: BenchEngine; mariadbUrl: string; routing: object; pollMs: number; signingSecret: string; webhookSecret: string }) {
  const slack = await FakeSlack.start();
  const zendesk = await FakeZendesk.start();
  const database = await freshDatabase(o.engine, o.mariadbUrl);
  const dir = mkdtempSync(join(tmpdir(), 'helpnet-bench-'));
  writeFileSync(join(dir, 'routing.yml'), stringify(o.routing));
  const config = loadConfig(
    {
      NODE_ENV: 'test',
      PORT: '0',
      DATABASE_URL: database.url,
      ROUTING_FILE: join(dir, 'routing.yml'),
      SLACK_BOT_TOKEN: slack.token,
      SLACK_SIGNING_SECRET: o.signingSecret,
      SLACK_API_URL: slack.apiUrl,
      ZENDESK_API_URL: zendesk.apiUrl,
      ZENDESK_EMAIL: zendesk.email,
      ZENDESK_API_TOKEN: zendesk.apiToken,
      ZENDESK_WEBHOOK_SECRET: o.webhookSecret,
      JOBS_POLL_MS: String(o.pollMs),
      LOG_LEVEL: 'silent',
    },
    dir,
  );
  const server = await startServer(config, createLogger(process.env.BENCH_LOG_LEVEL ?? 'silent'));
  return {
    server,
    slack,
    zendesk,
    async stop() {
      await server.close(5000);
      await Promise.all([slack.stop(), zendesk.stop()]);
      await database.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
