/**
 * bench/intake: 1,000 signed Zendesk webhooks at concurrency 50 across 20 categories, into
 * the real server on MariaDB (and SQLite), against the fake Zendesk and Slack. Prints
 * throughput, webhook response time, and the time from sending a webhook to the fake Slack
 * receiving the ticket's channel post. In the same run, a floor doing only the minimum per
 * ticket (one INSERT, one HTTP POST to the fake Slack) at the same concurrency, and the ratios.
 *
 *   npm run bench -- intake          (BENCH_WEBHOOKS=1000 BENCH_CONCURRENCY=50 BENCH_ENGINES=mariadb,sqlite,
 *                                     BENCH_MARIADB_URL=mysql://root@127.0.0.1:3306/helpnet_bench_intake)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { freshDatabase as freshBenchDatabase, pct, pool } from '../support.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { createSequelize } from '../../src/db/create-sequelize.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { startServer } from '../../src/server.ts';
import { FakeSlack } from '../../test/support/fake-slack.ts';
import { FakeZendesk } from '../../test/support/fake-zendesk.ts';
import { ZendeskWebhookSender } from '../../test/support/zendesk-webhooks.ts';

const WEBHOOKS = Number(process.env.BENCH_WEBHOOKS ?? 1000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
const CATEGORIES = 20;
const POLL_MS = Number(process.env.BENCH_POLL_MS ?? 1000);
const engines = (process.env.BENCH_ENGINES ?? 'mariadb,sqlite').split(',') as ('mariadb' | 'sqlite')[];
// Its own database: two benchmarks sharing one would claim each other's jobs.
const MARIADB = process.env.BENCH_MARIADB_URL ?? 'mysql://root@127.0.0.1:3306/helpnet_bench_intake';
const SECRET = 'bench-webhook-secret';

interface Figures {
  label: string;
  throughput: number;
  responseP50: number;
  responseP99: number;
  postP50: number;
  postP99: number;
}

async function runIntake(engine: 'mariadb' | 'sqlite'): Promise<Figures> {
  const slack = await FakeSlack.start();
  const zendesk = await FakeZendesk.start();
  const database = await freshBenchDatabase(engine, MARIADB);
  const dir = mkdtempSync(join(tmpdir(), 'helpnet-bench-'));
  const groups = Array.from({ length: CATEGORIES }, (_, i) => ({ key: `group-${i}`, channel: `C0BENCH${String(i).padStart(3, '0')}`, pageTop: 0 }));
  const categories = Array.from({ length: CATEGORIES }, (_, i) => ({ key: `cat-${i}`, name: `Category ${i}`, rates: { customer: 40, expert: 30 }, tiers: [{ group: `group-${i}`, timeoutMinutes: 60 }] }));
  writeFileSync(join(dir, 'routing.yml'), stringify({ groups, categories, managersChannel: 'C0MGRS001' }));
  const config = loadConfig(
    {
      NODE_ENV: 'test',
      PORT: '0',
      DATABASE_URL: database.url,
      ROUTING_FILE: join(dir, 'routing.yml'),
      SLACK_BOT_TOKEN: slack.token,
      SLACK_SIGNING_SECRET: 'bench-signing-secret',
      SLACK_API_URL: slack.apiUrl,
      ZENDESK_API_URL: zendesk.apiUrl,
      ZENDESK_EMAIL: zendesk.email,
      ZENDESK_API_TOKEN: zendesk.apiToken,
      ZENDESK_WEBHOOK_SECRET: SECRET,
      JOBS_POLL_MS: String(POLL_MS),
      LOG_LEVEL: 'silent',
    },
    dir,
  );
  const server = await startServer(config, createLogger(process.env.BENCH_LOG_LEVEL ?? 'silent'));
  const sender = new ZendeskWebhookSender(server.url, SECRET);
  const tickets = Array.from({ length: WEBHOOKS }, (_, i) =>
    zendesk.addTicket({ subject: `Bench ${i}`, description: `Bench ticket ${i}: something is broken.`, requester: { name: `Req ${i}`, email: `req${i}@example.com` }, tags: [`cat-${i % CATEGORIES}`] }),
  );
  const sentAt = new Map<number, number>();
  const responses: number[] = [];
  const t0 = Date.now();
  await pool(WEBHOOKS, CONCURRENCY, async (i) => {
    const t = tickets[i]!;
    const start = Date.now();
    sentAt.set(t.id, start);
    const res = await sender.send({ ticket: { id: String(t.id) } });
    if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
    responses.push(Date.now() - start);
  });
  const channelPosts = () => slack.messages.filter((m) => m.channel.startsWith('C0BENCH')).length;
  const deadline = Date.now() + 300_000;
  while (channelPosts() < WEBHOOKS && Date.now() < deadline) await new Promise((ok) => setTimeout(ok, 100));
  const posted = () => slack.callsTo('chat.postMessage').filter((c) => c.status === 200 && String(c.args.channel).startsWith('C0BENCH'));
  const done = Date.now();
  if (posted().length < WEBHOOKS) throw new Error(`${engine}: only ${posted().length} of ${WEBHOOKS} posts arrived`);

  const byHelpnetId = new Map((await server.db.models.Ticket.findAll({ attributes: ['id', 'externalId'] })).map((t) => [t.id, Number(t.externalId)]));
  const postLatency = posted().map((c) => {
    const id = Number(/HN-(\d+)/.exec(JSON.stringify(c.args.blocks))![1]);
    return c.at.getTime() - sentAt.get(byHelpnetId.get(id)!)!;
  });
  await server.close(5000);
  await Promise.all([slack.stop(), zendesk.stop()]);
  await database.drop();
  rmSync(dir, { recursive: true, force: true });
  return {
    label: `Helpnet intake, ${engine === 'mariadb' ? 'MariaDB' : 'SQLite'}`,
    throughput: WEBHOOKS / ((done - t0) / 1000),
    responseP50: pct(responses, 50),
    responseP99: pct(responses, 99),
    postP50: pct(postLatency, 50),
    postP99: pct(postLatency, 99),
  };
}

/** The least any intake must do per ticket: one INSERT and one HTTP POST to Slack. */
async function runFloor(engine: 'mariadb' | 'sqlite'): Promise<Figures> {
  const slack = await FakeSlack.start();
  const database = await freshBenchDatabase(engine, MARIADB);
  const sequelize = createSequelize(database.url);
  await sequelize.query('CREATE TABLE floor_tickets (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  const latency: number[] = [];
  const t0 = Date.now();
  await pool(WEBHOOKS, CONCURRENCY, async (i) => {
    const start = Date.now();
    await sequelize.query('INSERT INTO floor_tickets (id, body) VALUES (?, ?)', { replacements: [i + 1, `Bench ticket ${i}: something is broken.`] });
    const res = await fetch(`${slack.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${slack.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ channel: `C0BENCH${String(i % CATEGORIES).padStart(3, '0')}`, text: `HN-${i + 1}` }),
    });
    await res.json();
    latency.push(Date.now() - start);
  });
  const done = Date.now();
  await sequelize.close();
  await slack.stop();
  await database.drop();
  return { label: `floor (INSERT + POST), ${engine === 'mariadb' ? 'MariaDB' : 'SQLite'}`, throughput: WEBHOOKS / ((done - t0) / 1000), responseP50: NaN, responseP99: NaN, postP50: pct(latency, 50), postP99: pct(latency, 99) };
}

const rows: Figures[] = [];
for (const engine of engines) {
  process.stdout.write(`intake on ${engine} … `);
  const intake = await runIntake(engine);
  console.log('done');
  process.stdout.write(`floor on ${engine} … `);
  const floor = await runFloor(engine);
  console.log('done');
  rows.push(intake, floor);
  console.log(`  ${engine}: throughput ratio floor/intake ${(floor.throughput / intake.throughput).toFixed(2)}, webhook→post p50 ratio intake/floor ${(intake.postP50 / floor.postP50).toFixed(1)}, p99 ratio ${(intake.postP99 / floor.postP99).toFixed(1)}`);
}
console.log(`\n${WEBHOOKS} signed webhooks, concurrency ${CONCURRENCY}, ${CATEGORIES} categories, jobs poll ${POLL_MS} ms; ${cpus().length} cores (${cpus()[0]?.model.trim()}), Node ${process.version}\n`);
console.log('| run | tickets/s | webhook response p50 / p99 ms | webhook → Slack post p50 / p99 ms |');
console.log('|---|---:|---:|---:|');
for (const r of rows) {
  const response = Number.isNaN(r.responseP50) ? '—' : `${r.responseP50} / ${r.responseP99}`;
  console.log(`| ${r.label} | ${r.throughput.toFixed(0)} | ${response} | ${r.postP50} / ${r.postP99} |`);
}
process.exit(0);
