/** Helpers the benchmarks share: percentiles, task pools, a fresh database and server per run. */
import { readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { stringify } from 'yaml';
import { loadConfig, type Config } from '../src/config/load-config.ts';
import { openDatabase, type Database } from '../src/db/database.ts';
import type { DomainContext } from '../src/domain/domain-context.ts';
import { surveyLinks } from '../src/domain/surveys/survey-token.ts';
import { accountLinks } from '../src/domain/accounts/account-links.ts';
import { createJobs } from '../src/jobs/agenda.ts';
import { jobDefinitions } from '../src/jobs/definitions/index.ts';
import { createOutbox } from '../src/jobs/outbox.ts';
import { createLogger } from '../src/lib/logger.ts';
import { FakeSlack } from '../test/support/fake-slack.ts';
import { FakeZendesk } from '../test/support/fake-zendesk.ts';
import type { AppResponse } from '../test/support/post-to-app.ts';
import { spawnScript } from '../test/support/spawn-helpnet.ts';

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
 * POSTs over kept-alive node:http connections. The load generator shares the machine with
 * the server, the fakes and the database: fetch costs about four times the CPU per request,
 * which made the sender, not the server, the bottleneck.
 */
const agent = new Agent({ keepAlive: true, maxSockets: 512 });
export function send(method: 'POST' | 'PUT', url: string, headers: Record<string, string>, body: string): Promise<AppResponse> {
  return new Promise((ok, fail) => {
    const req = request(url, { method, agent, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', fail);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          json = undefined;
        }
        ok({ status: res.statusCode ?? 0, text, json });
      });
    });
    req.on('error', fail);
    req.end(body);
  });
}
export const post = (url: string, headers: Record<string, string>, body: string) => send('POST', url, headers, body);

/**
 * The local MariaDB server's process id (from its pid file), to count its CPU too; undefined
 * when it is not on this machine or the file cannot be read.
 */
export async function mariadbPid(mariadbUrl: string): Promise<number | undefined> {
  try {
    const u = new URL(mariadbUrl);
    const conn = await mysql.createConnection({ host: u.hostname, port: Number(u.port || 3306), user: u.username, password: u.password });
    const [rows] = (await conn.query('SELECT @@pid_file AS file')) as unknown as [{ file: string }[]];
    await conn.end();
    const pid = Number(readFileSync(rows[0]!.file, 'utf8').trim());
    processCpuMs(pid);
    return pid;
  } catch {
    return undefined;
  }
}

/** CPU time (user + system, ms) a process has used so far, from /proc. */
export function processCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // utime and stime are fields 14 and 15 of stat, in clock ticks (100 a second on Linux).
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/**
 * The real server (`src/main.ts`) in a process of its own, as it is deployed, on a fresh
 * database, against fake Slack and Zendesk servers in this process, with the given
 * routing. `db` and `services` are this process's own connection to the same database
 * (work they queue is run by the server, which polls for it); `stop()` ends and removes
 * all of it.
 */
export async function startBenchServer(o: { engine: BenchEngine; mariadbUrl: string; routing: object; pollMs: number; signingSecret: string; webhookSecret: string }) {
  const slack = await FakeSlack.start();
  const zendesk = await FakeZendesk.start();
  const database = await freshDatabase(o.engine, o.mariadbUrl);
  const dir = mkdtempSync(join(tmpdir(), 'helpnet-bench-'));
  writeFileSync(join(dir, 'routing.yml'), stringify(o.routing));
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    SESSION_SECRET: 'bench-session-secret-0123456789abcdef',
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
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
  };
  const config: Config = loadConfig(env, dir);
  // BENCH_SERVER_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", profiles the server.
  const child = spawnScript('src/main.ts', env, [], process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? []);
  const listening = await child.waitFor(/Helpnet is listening/, 60_000);
  const port = Number(/"port":(\d+)/.exec(listening)![1]);
  const db: Database = await openDatabase(database.url, { migrate: false });
  const services = await benchServices(db, config);
  const mariadb = o.engine === 'mariadb' ? await mariadbPid(database.url) : undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.child.pid!,
    db,
    services,
    slack,
    zendesk,
    /** CPU the server process has used so far (ms). */
    serverCpuMs: () => processCpuMs(child.child.pid!),
    /** CPU the local MariaDB server has used so far (ms), if it runs here and on MariaDB. */
    mariadbCpuMs: () => (mariadb === undefined ? undefined : processCpuMs(mariadb)),
    async stop() {
      child.child.kill('SIGTERM');
      const code = await child.exited;
      if (code !== 0) console.error(`the server exited with ${code}:\n${child.stderr().slice(-2000)}`);
      await db.close();
      await Promise.all([slack.stop(), zendesk.stop()]);
      await database.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A domain context in the benchmark's process: what it queues is left to the server's
 * workers. Its survey links are signed with the server's secret, chosen as src/server.ts
 * chooses it (SESSION_SECRET, else the one kept in the database), so a token made here is
 * one the server's survey page accepts.
 */
async function benchServices(db: Database, config: Config): Promise<DomainContext> {
  const secret = config.sessionSecret ?? (await db.appSecrets.getOrCreate('session', new Date()));
  const ctx: DomainContext = { db, routing: config.routing, now: () => new Date(), outbox: createOutbox(() => jobs, jobDefinitions), surveyLinks: surveyLinks(secret, config.publicUrl), accountLinks: accountLinks(secret, config.publicUrl) };
  // Never started: its jobs are written unclaimed, for the server's poller.
  const jobs = createJobs({ ...ctx, logger: createLogger('silent') }, { pollMs: config.jobsPollMs, definitions: jobDefinitions });
  return ctx;
}

/**
 * bench/minimal-server.ts — the least a server in Helpnet's place could do — in a process of
 * its own, on a fresh database, against fresh fake Slack and Zendesk servers.
 */
export async function startMinimalServer(o: { engine: BenchEngine; mariadbUrl: string; signingSecret: string; webhookSecret: string }) {
  const slack = await FakeSlack.start();
  const zendesk = await FakeZendesk.start();
  const database = await freshDatabase(o.engine, o.mariadbUrl);
  const child = spawnScript('bench/minimal-server.ts', {
    PORT: '0',
    DATABASE_URL: database.url,
    SLACK_API_URL: slack.apiUrl,
    SLACK_BOT_TOKEN: slack.token,
    SLACK_SIGNING_SECRET: o.signingSecret,
    ZENDESK_API_URL: zendesk.apiUrl,
    ZENDESK_EMAIL: zendesk.email,
    ZENDESK_API_TOKEN: zendesk.apiToken,
    ZENDESK_WEBHOOK_SECRET: o.webhookSecret,
  });
  const listening = await child.waitFor(/minimal server is listening/, 60_000);
  const port = Number(/"port":(\d+)/.exec(listening)![1]);
  return {
    url: `http://127.0.0.1:${port}`,
    slack,
    zendesk,
    async stop() {
      child.child.kill('SIGTERM');
      await child.exited;
      await Promise.all([slack.stop(), zendesk.stop()]);
      await database.drop();
    },
  };
}
