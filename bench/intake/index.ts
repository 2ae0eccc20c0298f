/**
 * bench/intake: 1,000 signed Zendesk webhooks at concurrency 50 across 20 categories, into
 * the real server on MariaDB (and SQLite), against the fake Zendesk and Slack. Prints
 * throughput, the CPU per ticket of the server and of MariaDB, webhook response time, and
 * the time from sending a webhook to the fake Slack
 * receiving the ticket's channel post. In the same run, a floor doing only the minimum per
 * ticket (one INSERT, one HTTP POST to the fake Slack) at the same concurrency, and the ratios;
 * and, between the two, the least a server could do with the same webhooks (receive, check
 * the signature, one INSERT, answer, one POST: bench/minimal-server.ts).
 * Each run starts with a warm-up that is not measured; each ends with a paced phase, a
 * steady rate the server keeps up with, measured the same way.
 *
 *   npm run bench -- intake          (BENCH_WEBHOOKS=1000 BENCH_CONCURRENCY=50 BENCH_ENGINES=mariadb,sqlite,
 *                                     BENCH_MARIADB_URL=mysql://root@127.0.0.1:3306/helpnet_bench_intake,
 *                                     BENCH_WARMUP=100 BENCH_PACED_WEBHOOKS=200 BENCH_PACED_RATE=20)
 */
import { cpus } from 'node:os';
import { freshDatabase as freshBenchDatabase, paced, pct, pool, post, startBenchServer, startMinimalServer } from '../support.ts';
import { createSequelize } from '../../src/db/create-sequelize.ts';
import { FakeSlack } from '../../test/support/fake-slack.ts';
import { ZendeskWebhookSender } from '../../test/support/zendesk-webhooks.ts';

const WEBHOOKS = Number(process.env.BENCH_WEBHOOKS ?? 1000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
const CATEGORIES = 20;
const WARMUP = Number(process.env.BENCH_WARMUP ?? 100);
const PACED = Number(process.env.BENCH_PACED_WEBHOOKS ?? 200);
const PACED_RATE = Number(process.env.BENCH_PACED_RATE ?? 20);
const POLL_MS = Number(process.env.BENCH_POLL_MS ?? 1000);
const engines = (process.env.BENCH_ENGINES ?? 'mariadb,sqlite').split(',') as ('mariadb' | 'sqlite')[];
// Its own database: two benchmarks sharing one would claim each other's jobs.
const MARIADB = process.env.BENCH_MARIADB_URL ?? 'mysql://root@127.0.0.1:3306/helpnet_bench_intake';
const SECRET = 'bench-webhook-secret';

interface Figures {
  label: string;
  throughput: number;
  /** CPU per ticket in the burst (ms): the server process, and MariaDB when it runs here. */
  serverCpuPerTicket: number;
  mariadbCpuPerTicket: number;
  responseP50: number;
  responseP99: number;
  postP50: number;
  postP99: number;
  pacedResponseP50: number;
  pacedResponseP99: number;
  pacedPostP50: number;
  pacedPostP99: number;
}

async function runIntake(engine: 'mariadb' | 'sqlite'): Promise<Figures> {
  const groups = Array.from({ length: CATEGORIES }, (_, i) => ({ key: `group-${i}`, channel: `C0BENCH${String(i).padStart(3, '0')}`, pageTop: 0 }));
  const categories = Array.from({ length: CATEGORIES }, (_, i) => ({ key: `cat-${i}`, name: `Category ${i}`, rates: { customer: 40, expert: 30 }, tiers: [{ group: `group-${i}`, timeoutMinutes: 60 }] }));
  const bench = await startBenchServer({ engine, mariadbUrl: MARIADB, routing: { groups, categories, managersChannel: 'C0MGRS001' }, pollMs: POLL_MS, signingSecret: 'bench-signing-secret', webhookSecret: SECRET });
  const { slack, zendesk } = bench;
  const sender = new ZendeskWebhookSender(bench.url, SECRET, undefined, post);
  let made = 0;
  const newTickets = (count: number) =>
    Array.from({ length: count }, () => {
      const i = made++;
      return zendesk.addTicket({ subject: `Bench ${i}`, description: `Bench ticket ${i}: something is broken.`, requester: { name: `Req ${i}`, email: `req${i}@example.com` }, tags: [`cat-${i % CATEGORIES}`] });
    });
  const sentAt = new Map<number, number>();
  const deliver = async (zendeskId: number, responses: number[]) => {
    const start = Date.now();
    sentAt.set(zendeskId, start);
    const res = await sender.send({ ticket: { id: String(zendeskId) } });
    if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
    responses.push(Date.now() - start);
  };
  const posted = () => slack.callsTo('chat.postMessage').filter((c) => c.status === 200 && String(c.args.channel).startsWith('C0BENCH'));
  const allPosted = async () => {
    const deadline = Date.now() + 300_000;
    while (slack.messages.filter((m) => m.channel.startsWith('C0BENCH')).length < made && Date.now() < deadline) await new Promise((ok) => setTimeout(ok, 20));
    if (posted().length < made) throw new Error(`${engine}: only ${posted().length} of ${made} posts arrived`);
  };

  // Warm-up, not measured: the first requests of a fresh process pay for compiling code and
  // opening connections.
  const warmUp = newTickets(WARMUP);
  await pool(WARMUP, CONCURRENCY, (i) => deliver(warmUp[i]!.id, []));
  await allPosted();

  const burst = newTickets(WEBHOOKS);
  const responses: number[] = [];
  const t0 = Date.now();
  const cpu0 = bench.serverCpuMs();
  const maria0 = bench.mariadbCpuMs();
  await pool(WEBHOOKS, CONCURRENCY, (i) => deliver(burst[i]!.id, responses));
  await allPosted();
  const done = Date.now();
  const serverCpuPerTicket = (bench.serverCpuMs() - cpu0) / WEBHOOKS;
  const mariadbCpuPerTicket = maria0 === undefined ? NaN : (bench.mariadbCpuMs()! - maria0) / WEBHOOKS;

  // Paced: a steady rate the server keeps up with, so latency is the work per ticket, not a queue.
  const steady = newTickets(PACED);
  const pacedResponses: number[] = [];
  await paced(PACED, PACED_RATE, (i) => deliver(steady[i]!.id, pacedResponses));
  await allPosted();

  const byHelpnetId = new Map((await bench.db.models.Ticket.findAll({ attributes: ['id', 'externalId'] })).map((t) => [t.id, Number(t.externalId)]));
  const postLatency = new Map(
    posted().map((c) => {
      const zendeskId = byHelpnetId.get(Number(/HN-(\d+)/.exec(JSON.stringify(c.args.blocks))![1]))!;
      return [zendeskId, c.at.getTime() - sentAt.get(zendeskId)!];
    }),
  );
  const latencyOf = (tickets: { id: number }[]) => tickets.map((t) => postLatency.get(t.id)!);
  await bench.stop();
  return {
    label: `Helpnet intake, ${engine === 'mariadb' ? 'MariaDB' : 'SQLite'}`,
    throughput: WEBHOOKS / ((done - t0) / 1000),
    serverCpuPerTicket,
    mariadbCpuPerTicket,
    responseP50: pct(responses, 50),
    responseP99: pct(responses, 99),
    postP50: pct(latencyOf(burst), 50),
    postP99: pct(latencyOf(burst), 99),
    pacedResponseP50: pct(pacedResponses, 50),
    pacedResponseP99: pct(pacedResponses, 99),
    pacedPostP50: pct(latencyOf(steady), 50),
    pacedPostP99: pct(latencyOf(steady), 99),
  };
}

/**
 * The least a server in Helpnet's place could do with the same webhooks (bench/minimal-server.ts):
 * check the signature, one INSERT, answer, one POST to Slack. Measured the same way as Helpnet.
 */
async function runMinimal(engine: 'mariadb' | 'sqlite'): Promise<Figures> {
  const minimal = await startMinimalServer({ engine, mariadbUrl: MARIADB, signingSecret: 'bench-signing-secret', webhookSecret: SECRET });
  const sender = new ZendeskWebhookSender(minimal.url, SECRET, undefined, post);
  const sentAt = new Map<number, number>();
  let n = 0;
  const deliver = async (responses: number[]) => {
    const id = ++n;
    const start = Date.now();
    sentAt.set(id, start);
    const res = await sender.send({ ticket: { id: String(id) } });
    if (res.status !== 200) throw new Error(`the minimal server answered ${res.status}`);
    responses.push(Date.now() - start);
  };
  const allPosted = async () => {
    while (minimal.slack.callsTo('chat.postMessage').length < n) await new Promise((ok) => setTimeout(ok, 10));
  };
  await pool(WARMUP, CONCURRENCY, () => deliver([]));
  await allPosted();
  const from = n + 1;
  const responses: number[] = [];
  const t0 = Date.now();
  await pool(WEBHOOKS, CONCURRENCY, () => deliver(responses));
  await allPosted();
  const done = Date.now();
  const pacedFrom = n + 1;
  const pacedResponses: number[] = [];
  await paced(PACED, PACED_RATE, () => deliver(pacedResponses));
  await allPosted();
  const postedAt = new Map(minimal.slack.callsTo('chat.postMessage').map((c) => [Number(/ticket (\d+)/.exec(String(c.args.text))![1]), c.at.getTime()]));
  const latency = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => postedAt.get(a + i)! - sentAt.get(a + i)!);
  await minimal.stop();
  const burst = latency(from, pacedFrom);
  const steady = latency(pacedFrom, n + 1);
  return {
    label: `minimal server (verify, INSERT, answer, POST), ${engine === 'mariadb' ? 'MariaDB' : 'SQLite'}`,
    throughput: WEBHOOKS / ((done - t0) / 1000),
    serverCpuPerTicket: NaN,
    mariadbCpuPerTicket: NaN,
    responseP50: pct(responses, 50),
    responseP99: pct(responses, 99),
    postP50: pct(burst, 50),
    postP99: pct(burst, 99),
    pacedResponseP50: pct(pacedResponses, 50),
    pacedResponseP99: pct(pacedResponses, 99),
    pacedPostP50: pct(steady, 50),
    pacedPostP99: pct(steady, 99),
  };
}

/** The least any intake must do per ticket: one INSERT and one HTTP POST to Slack. */
async function runFloor(engine: 'mariadb' | 'sqlite'): Promise<Figures> {
  const slack = await FakeSlack.start();
  const database = await freshBenchDatabase(engine, MARIADB);
  const sequelize = createSequelize(database.url);
  await sequelize.query('CREATE TABLE floor_tickets (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  let n = 0;
  const ticket = async (latency: number[]) => {
    const i = n++;
    const start = Date.now();
    await sequelize.query('INSERT INTO floor_tickets (id, body) VALUES (?, ?)', { replacements: [i + 1, `Bench ticket ${i}: something is broken.`] });
    const res = await post(`${slack.apiUrl}chat.postMessage`, { authorization: `Bearer ${slack.token}`, 'content-type': 'application/json' }, JSON.stringify({ channel: `C0BENCH${String(i % CATEGORIES).padStart(3, '0')}`, text: `HN-${i + 1}` }));
    if (res.status !== 200) throw new Error(`the fake Slack answered ${res.status}`);
    latency.push(Date.now() - start);
  };
  await pool(WARMUP, CONCURRENCY, () => ticket([]));
  const latency: number[] = [];
  const t0 = Date.now();
  await pool(WEBHOOKS, CONCURRENCY, () => ticket(latency));
  const done = Date.now();
  const pacedLatency: number[] = [];
  await paced(PACED, PACED_RATE, () => ticket(pacedLatency));
  await sequelize.close();
  await slack.stop();
  await database.drop();
  return { label: `floor (INSERT + POST), ${engine === 'mariadb' ? 'MariaDB' : 'SQLite'}`, throughput: WEBHOOKS / ((done - t0) / 1000), serverCpuPerTicket: NaN, mariadbCpuPerTicket: NaN, responseP50: NaN, responseP99: NaN, postP50: pct(latency, 50), postP99: pct(latency, 99), pacedResponseP50: NaN, pacedResponseP99: NaN, pacedPostP50: pct(pacedLatency, 50), pacedPostP99: pct(pacedLatency, 99) };
}

const rows: Figures[] = [];
for (const engine of engines) {
  process.stdout.write(`intake on ${engine} … `);
  const intake = await runIntake(engine);
  console.log('done');
  process.stdout.write(`minimal server on ${engine} … `);
  const minimal = await runMinimal(engine);
  console.log('done');
  process.stdout.write(`floor on ${engine} … `);
  const floor = await runFloor(engine);
  console.log('done');
  rows.push(intake, minimal, floor);
  console.log(`  ${engine}: minimal server webhook→post p50 ratio to the floor ${(minimal.postP50 / floor.postP50).toFixed(1)}, p99 ratio ${(minimal.postP99 / floor.postP99).toFixed(1)}; paced p50 ratio ${(minimal.pacedPostP50 / floor.pacedPostP50).toFixed(1)}, p99 ratio ${(minimal.pacedPostP99 / floor.pacedPostP99).toFixed(1)}`);
  console.log(`  ${engine}: throughput ratio floor/intake ${(floor.throughput / intake.throughput).toFixed(2)}, webhook→post p50 ratio intake/floor ${(intake.postP50 / floor.postP50).toFixed(1)}, p99 ratio ${(intake.postP99 / floor.postP99).toFixed(1)}; paced p50 ratio ${(intake.pacedPostP50 / floor.pacedPostP50).toFixed(1)}, p99 ratio ${(intake.pacedPostP99 / floor.pacedPostP99).toFixed(1)}`);
}
console.log(`\n${WEBHOOKS} signed webhooks, concurrency ${CONCURRENCY}, after ${WARMUP} not measured; then ${PACED} paced at ${PACED_RATE}/s; ${CATEGORIES} categories, jobs poll ${POLL_MS} ms; ${cpus().length} cores (${cpus()[0]?.model.trim()}), Node ${process.version}\n`);
console.log('| run | tickets/s | CPU ms/ticket server / MariaDB | webhook response p50 / p99 ms | webhook → Slack post p50 / p99 ms | paced: response p50 / p99 ms | paced: webhook → post p50 / p99 ms |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
const pair = (a: number, b: number) => (Number.isNaN(a) ? '—' : `${a} / ${b}`);
for (const r of rows) {
  console.log(`| ${r.label} | ${r.throughput.toFixed(0)} | ${Number.isNaN(r.serverCpuPerTicket) ? '—' : `${r.serverCpuPerTicket.toFixed(1)} / ${Number.isNaN(r.mariadbCpuPerTicket) ? '—' : r.mariadbCpuPerTicket.toFixed(1)}`} | ${pair(r.responseP50, r.responseP99)} | ${pair(r.postP50, r.postP99)} | ${pair(r.pacedResponseP50, r.pacedResponseP99)} | ${pair(r.pacedPostP50, r.pacedPostP99)} |`);
}
process.exit(0);
