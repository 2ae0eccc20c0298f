/**
 * bench/relay: 2,000 expert messages across 100 booked Zendesk tickets, sent into the real
 * server as signed Slack `message.im` events (50 at a time), against the fake Slack and
 * Zendesk. Prints p50/p99 from sending the event to the fake Zendesk receiving the comment
 * that carries the message (split at Slack's request being answered, which happens once the
 * message is stored), the messages per second, the CPU per message of the server and of
 * MariaDB, and Book latency (click → the clicker's answer arriving at the click's
 * response_url in the fake Slack) with 50 experts clicking each of 10 tickets at once, and
 * the booking itself (bookTicket, 50 calls at once on each of 10 more tickets). In the same run, a floor
 * doing only the minimum per message (one INSERT, one HTTP PUT to the fake Zendesk) at the
 * same concurrency, and the ratio; and, between the two, the least a server could do with the
 * same events (receive, check the signature, one INSERT, answer, one PUT:
 * bench/minimal-server.ts). Then a paced phase: messages at a steady rate the server
 * keeps up with (open load, 20 a second by default), the same latency measured for them and
 * for the floor at that rate.
 *
 *   npm run bench -- relay     (BENCH_MESSAGES=2000 BENCH_TICKETS=100 BENCH_CONCURRENCY=50 BENCH_ENGINES=mariadb,sqlite BENCH_POLL_MS=1000
 *                               BENCH_PACED_MESSAGES=400 BENCH_PACED_RATE=20)
 */
import { cpus } from 'node:os';
import { freshDatabase as freshBenchDatabase, paced, pct, pool, post, send as sendHttp, startBenchServer, startMinimalServer } from '../support.ts';
import { createSequelize } from '../../src/db/create-sequelize.ts';
import { bookTicket } from '../../src/domain/booking/book-ticket.ts';
import { createTicket } from '../../src/domain/tickets/create-ticket.ts';
import { FakeZendesk } from '../../test/support/fake-zendesk.ts';
import { SlackRequestSender } from '../../test/support/slack-requests.ts';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 2000);
const TICKETS = Number(process.env.BENCH_TICKETS ?? 100);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
const PACED_MESSAGES = Number(process.env.BENCH_PACED_MESSAGES ?? 400);
const PACED_RATE = Number(process.env.BENCH_PACED_RATE ?? 20);
const CONTENDED_TICKETS = 10;
const CONTENDERS = 50;
const POLL_MS = Number(process.env.BENCH_POLL_MS ?? 1000);
const engines = (process.env.BENCH_ENGINES ?? 'mariadb,sqlite').split(',') as ('mariadb' | 'sqlite')[];
const MARIADB = process.env.BENCH_MARIADB_URL ?? 'mysql://root@127.0.0.1:3306/helpnet_bench_relay';
const SIGNING_SECRET = 'bench-signing-secret';

const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));
async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 300_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  if (process.env.BENCH_VERBOSE) console.error(`  waiting for ${what}`);
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

interface Figures {
  label: string;
  relayP50: number;
  relayP99: number;
  /** The same latency for the paced messages. */
  pacedP50: number;
  pacedP99: number;
  bookP50: number;
  bookP99: number;
  /** bookTicket itself, called 50 at once per ticket (no Slack, no HTTP). */
  claimP50: number;
  claimP99: number;
  comments: number;
  /** Of the burst's latency: until Slack's request was answered (the message stored), and after. */
  answeredP50: number;
  answeredP99: number;
  afterP50: number;
  afterP99: number;
  /** Messages a second through the burst, from the first sent to the last in Zendesk. */
  throughput: number;
  /** CPU per message in the burst (ms): the server process, and MariaDB when it runs here. */
  serverCpuPerMessage: number;
  mariadbCpuPerMessage: number;
}

async function runRelay(engine: 'mariadb' | 'sqlite'): Promise<Figures> {
  const routing = {
    groups: [{ key: 'bench', channel: 'C0BENCH001', pageTop: 0 }],
    categories: [{ key: 'bench', name: 'Bench', rates: { customer: 40, expert: 30 }, tiers: [{ group: 'bench', timeoutMinutes: 600 }] }],
    managersChannel: 'C0MGRS001',
  };
  const bench = await startBenchServer({ engine, mariadbUrl: MARIADB, routing, pollMs: POLL_MS, signingSecret: SIGNING_SECRET, webhookSecret: 'bench-webhook-secret' });
  const { slack, zendesk, services } = bench;
  const sender = new SlackRequestSender(bench.url, SIGNING_SECRET, undefined, post);
  // The clickers' answers go to their clicks' response URLs, which the fake Slack records.
  sender.responseUrl = (key) => slack.responseUrl(key);
  const { Category, Group, Expert, ExpertSkill, GroupMembership, SlackMessage } = bench.db.models;
  const category = await Category.findOne({ where: { key: 'bench' }, rejectOnEmpty: true });
  const group = await Group.findOne({ where: { key: 'bench' }, rejectOnEmpty: true });

  // Tickets filed from Zendesk, and experts approved for them.
  const tickets: { id: number; zendeskId: number }[] = [];
  for (let i = 0; i < TICKETS; i++) {
    const zd = zendesk.addTicket({ description: `Bench ticket ${i}: something is broken.`, requester: { name: `Req ${i}`, email: `req${i}@example.com` }, tags: ['bench'] });
    const { ticket } = await createTicket(services, { source: 'zendesk', externalId: String(zd.id), categoryId: category.id, description: zd.description, customer: { name: `Req ${i}`, email: `req${i}@example.com`, zendeskUserId: String(zd.requester_id) } });
    tickets.push({ id: ticket.id, zendeskId: zd.id });
  }
  const experts: string[] = [];
  for (let i = 0; i < CONTENDERS; i++) {
    const expert = await Expert.create({ slackUserId: `U0BENCH${String(i).padStart(4, '0')}`, name: `Bench Expert ${i}`, email: `expert${i}@example.com`, checkedIn: true });
    await ExpertSkill.create({ expertId: expert.id, categoryId: category.id, status: 'approved' });
    await GroupMembership.create({ expertId: expert.id, groupId: group.id });
    experts.push(expert.slackUserId!);
  }
  await until(() => slack.messages.filter((m) => m.channel === 'C0BENCH001').length === TICKETS, 'the dispatch posts');

  // Book: 50 experts click each of the first tickets at once; the rest are booked by one click.
  const bookLatency: number[] = [];
  for (const ticket of tickets.slice(0, CONTENDED_TICKETS)) {
    const before = slack.responses().length;
    const sentAt = Date.now();
    await Promise.all(experts.map((user) => sender.blockActions({ user_id: user, action_id: 'ticket.book', value: `HN-${ticket.id}`, channel_id: 'C0BENCH001' })));
    await until(() => slack.responses().length >= before + CONTENDERS, 'the Book answers');
    for (const answer of slack.responses().slice(before)) bookLatency.push(answer.at.getTime() - sentAt);
  }
  // The booking itself, without Slack: 50 bookTicket calls at once on each of 10 more tickets.
  const claimLatency: number[] = [];
  const expertIds = (await Expert.findAll({ attributes: ['id'], order: [['id', 'ASC']] })).map((e) => e.id);
  for (const ticket of tickets.slice(CONTENDED_TICKETS, 2 * CONTENDED_TICKETS)) {
    const outcomes = await Promise.all(
      expertIds.map(async (expertId) => {
        const start = performance.now();
        const outcome = await bookTicket(services, { ticketId: ticket.id, expertId });
        claimLatency.push(performance.now() - start);
        return outcome;
      }),
    );
    if (outcomes.filter((o) => o === 'booked').length !== 1) throw new Error(`HN-${ticket.id}: not exactly one booking`);
  }
  await pool(TICKETS - 2 * CONTENDED_TICKETS, 10, async (i) => {
    await sender.blockActions({ user_id: experts[i % CONTENDERS]!, action_id: 'ticket.book', value: `HN-${tickets[2 * CONTENDED_TICKETS + i]!.id}`, channel_id: 'C0BENCH001' });
  });
  // Each expert's thread is in their DM with the bot, whose own id Slack answered the post with.
  const threads = new Map<number, { ts: string; user: string; channel: string }>();
  const slackIdOf = new Map((await Expert.findAll({ attributes: ['id', 'slackUserId'] })).map((e) => [e.id, e.slackUserId!]));
  await until(async () => {
    const rows = await SlackMessage.findAll({ where: { purpose: 'expert_thread' } });
    for (const r of rows) if (r.ts && r.ticketId && r.expertId) threads.set(r.ticketId, { ts: r.ts, user: slackIdOf.get(r.expertId)!, channel: r.channel });
    return threads.size === TICKETS;
  }, 'every expert thread');
  // Let the booking notices reach Zendesk before measuring the relay.
  await until(() => tickets.every((t) => zendesk.comments.get(t.zendeskId)!.some((c) => c.public && c.body.includes('has taken your ticket'))), 'the booking comments');

  // Relay: 2,000 expert messages, round-robin over the tickets, 50 in flight.
  const sentAt = new Map<number, number>();
  const puts = () => zendesk.calls.filter((c) => c.route === 'PUT /api/v2/tickets/:id' && c.status === 200 && c.rawBody.includes('[m'));
  const send = async (n: number) => {
    const ticket = tickets[n % TICKETS]!;
    const thread = threads.get(ticket.id)!;
    sentAt.set(n, Date.now());
    const res = await sender.event({ type: 'message', channel: thread.channel, channel_type: 'im', user: thread.user, text: `Bench reply [m${n}] — please try this`, ts: `${Date.now() / 1000}`, thread_ts: thread.ts });
    if (res.status !== 200) throw new Error(`the event was answered ${res.status}`);
    ackedAt.set(n, Date.now());
  };
  const ackedAt = new Map<number, number>();
  const seen = new Map<number, number>();
  const arrived = (from: number, to: number) =>
    until(() => {
      for (const call of puts()) for (const m of call.rawBody.matchAll(/\[m(\d+)\]/g)) if (!seen.has(Number(m[1]))) seen.set(Number(m[1]), call.at.getTime());
      for (let n = from; n < to; n++) if (!seen.has(n)) return false;
      return true;
    }, 'every message in Zendesk');
  const latencies = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => seen.get(from + i)! - sentAt.get(from + i)!);
  const before = puts().length;
  const cpu0 = bench.serverCpuMs();
  const maria0 = bench.mariadbCpuMs();
  const wall0 = Date.now();
  await pool(MESSAGES, CONCURRENCY, send);
  await arrived(0, MESSAGES);
  const burstMs = Date.now() - wall0;
  const serverCpuPerMessage = (bench.serverCpuMs() - cpu0) / MESSAGES;
  const mariadbCpuPerMessage = maria0 === undefined ? NaN : (bench.mariadbCpuMs()! - maria0) / MESSAGES;
  const relayLatency = latencies(0, MESSAGES);
  // Where the time went: until Slack was answered (the message stored), and from then on.
  const untilAnswered = Array.from({ length: MESSAGES }, (_, i) => ackedAt.get(i)! - sentAt.get(i)!);
  const afterAnswer = Array.from({ length: MESSAGES }, (_, i) => seen.get(i)! - ackedAt.get(i)!);
  const comments = puts().length - before;
  // Paced: a steady rate below what the server drains, so the latency is the work per message, not a queue.
  await paced(PACED_MESSAGES, PACED_RATE, (i) => send(MESSAGES + i));
  await arrived(MESSAGES, MESSAGES + PACED_MESSAGES);
  const pacedLatency = latencies(MESSAGES, MESSAGES + PACED_MESSAGES);

  await bench.stop();
  return { label: `Helpnet relay, ${engine === 'mariadb' ? 'MariaDB' : 'SQLite'}`, relayP50: pct(relayLatency, 50), relayP99: pct(relayLatency, 99), pacedP50: pct(pacedLatency, 50), pacedP99: pct(pacedLatency, 99), bookP50: pct(bookLatency, 50), bookP99: pct(bookLatency, 99), claimP50: Math.round(pct(claimLatency, 50)), claimP99: Math.round(pct(claimLatency, 99)), comments, answeredP50: pct(untilAnswered, 50), answeredP99: pct(untilAnswered, 99), afterP50: pct(afterAnswer, 50), afterP99: pct(afterAnswer, 99), throughput: MESSAGES / (burstMs / 1000), serverCpuPerMessage, mariadbCpuPerMessage };
}

/**
 * The least a server in Helpnet's place could do with the same events (bench/minimal-server.ts):
 * check the signature, one INSERT, answer, one PUT to Zendesk — told the Zendesk ticket in
 * the event itself, so it looks nothing up. Measured the same way as Helpnet.
 */
async function runMinimal(engine: 'mariadb' | 'sqlite'): Promise<Figures> {
  const minimal = await startMinimalServer({ engine, mariadbUrl: MARIADB, signingSecret: SIGNING_SECRET, webhookSecret: 'bench-webhook-secret' });
  const sender = new SlackRequestSender(minimal.url, SIGNING_SECRET, undefined, post);
  const zendeskIds = Array.from({ length: TICKETS }, (_, i) => minimal.zendesk.addTicket({ description: `Bench ticket ${i}`, requester: { name: `Req ${i}`, email: `req${i}@example.com` } }).id);
  const sentAt = new Map<number, number>();
  const ackedAt = new Map<number, number>();
  const send = async (n: number) => {
    sentAt.set(n, Date.now());
    const res = await sender.event({ type: 'message', channel: 'D0BENCH', channel_type: 'im', user: 'U0BENCH', text: `Bench reply [m${n}] — please try this`, ts: `${Date.now() / 1000}`, zendesk_ticket_id: zendeskIds[n % TICKETS] });
    if (res.status !== 200) throw new Error(`the minimal server answered ${res.status}`);
    ackedAt.set(n, Date.now());
  };
  const seen = new Map<number, number>();
  const arrived = (count: number) =>
    until(() => {
      for (const call of minimal.zendesk.calls) for (const m of call.rawBody.matchAll(/\[m(\d+)\]/g)) if (!seen.has(Number(m[1]))) seen.set(Number(m[1]), call.at.getTime());
      return seen.size >= count;
    }, 'every message in Zendesk');
  const t0 = Date.now();
  await pool(MESSAGES, CONCURRENCY, send);
  await arrived(MESSAGES);
  const burstMs = Date.now() - t0;
  await paced(PACED_MESSAGES, PACED_RATE, (i) => send(MESSAGES + i));
  await arrived(MESSAGES + PACED_MESSAGES);
  await minimal.stop();
  const range = (from: number, to: number, f: (n: number) => number) => Array.from({ length: to - from }, (_, i) => f(from + i));
  const burst = range(0, MESSAGES, (n) => seen.get(n)! - sentAt.get(n)!);
  const steady = range(MESSAGES, MESSAGES + PACED_MESSAGES, (n) => seen.get(n)! - sentAt.get(n)!);
  const answered = range(0, MESSAGES, (n) => ackedAt.get(n)! - sentAt.get(n)!);
  const after = range(0, MESSAGES, (n) => seen.get(n)! - ackedAt.get(n)!);
  return {
    label: `minimal server (verify, INSERT, answer, PUT), ${engine === 'mariadb' ? 'MariaDB' : 'SQLite'}`,
    relayP50: pct(burst, 50),
    relayP99: pct(burst, 99),
    pacedP50: pct(steady, 50),
    pacedP99: pct(steady, 99),
    bookP50: NaN,
    bookP99: NaN,
    claimP50: NaN,
    claimP99: NaN,
    comments: MESSAGES,
    answeredP50: pct(answered, 50),
    answeredP99: pct(answered, 99),
    afterP50: pct(after, 50),
    afterP99: pct(after, 99),
    throughput: MESSAGES / (burstMs / 1000),
    serverCpuPerMessage: NaN,
    mariadbCpuPerMessage: NaN,
  };
}

/** The least a relay must do per message: one INSERT and one HTTP PUT to Zendesk. */
async function runFloor(engine: 'mariadb' | 'sqlite'): Promise<Figures> {
  const zendesk = await FakeZendesk.start();
  const database = await freshBenchDatabase(engine, MARIADB);
  const sequelize = createSequelize(database.url);
  await sequelize.query('CREATE TABLE floor_messages (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  const zendeskIds = Array.from({ length: TICKETS }, (_, i) => zendesk.addTicket({ description: `Bench ticket ${i}`, requester: { name: `Req ${i}`, email: `req${i}@example.com` } }).id);
  const auth = `Basic ${Buffer.from(`${zendesk.email}/token:${zendesk.apiToken}`).toString('base64')}`;
  const latency: number[] = [];
  const relay = async (n: number) => {
    const start = Date.now();
    const body = `Bench reply [m${n}] — please try this`;
    await sequelize.query('INSERT INTO floor_messages (id, body) VALUES (?, ?)', { replacements: [n + 1, body] });
    const res = await sendHttp('PUT', `${zendesk.apiUrl}/tickets/${zendeskIds[n % TICKETS]}.json`, { authorization: auth, 'content-type': 'application/json' }, JSON.stringify({ ticket: { comment: { body, public: true } } }));
    if (res.status !== 200) throw new Error(`the fake Zendesk answered ${res.status}`);
    latency.push(Date.now() - start);
  };
  const t0 = Date.now();
  await pool(MESSAGES, CONCURRENCY, relay);
  const burstMs = Date.now() - t0;
  const burst = [...latency];
  latency.length = 0;
  await paced(PACED_MESSAGES, PACED_RATE, (i) => relay(MESSAGES + i));
  await sequelize.close();
  await zendesk.stop();
  await database.drop();
  return { label: `floor (INSERT + PUT), ${engine === 'mariadb' ? 'MariaDB' : 'SQLite'}`, relayP50: pct(burst, 50), relayP99: pct(burst, 99), pacedP50: pct(latency, 50), pacedP99: pct(latency, 99), bookP50: NaN, bookP99: NaN, claimP50: NaN, claimP99: NaN, comments: MESSAGES, answeredP50: NaN, answeredP99: NaN, afterP50: NaN, afterP99: NaN, throughput: MESSAGES / (burstMs / 1000), serverCpuPerMessage: NaN, mariadbCpuPerMessage: NaN };
}

const rows: Figures[] = [];
for (const engine of engines) {
  process.stdout.write(`relay on ${engine} … `);
  const relay = await runRelay(engine);
  console.log('done');
  process.stdout.write(`minimal server on ${engine} … `);
  const minimal = await runMinimal(engine);
  console.log('done');
  process.stdout.write(`floor on ${engine} … `);
  const floor = await runFloor(engine);
  console.log('done');
  rows.push(relay, minimal, floor);
  console.log(`  ${engine}: minimal server/floor p50 ratio ${(minimal.relayP50 / floor.relayP50).toFixed(1)}, p99 ratio ${(minimal.relayP99 / floor.relayP99).toFixed(1)}; paced p50 ratio ${(minimal.pacedP50 / floor.pacedP50).toFixed(1)}, p99 ratio ${(minimal.pacedP99 / floor.pacedP99).toFixed(1)}`);
  console.log(`  ${engine}: relay/floor p50 ratio ${(relay.relayP50 / floor.relayP50).toFixed(1)}, p99 ratio ${(relay.relayP99 / floor.relayP99).toFixed(1)}; paced p50 ratio ${(relay.pacedP50 / floor.pacedP50).toFixed(1)}, p99 ratio ${(relay.pacedP99 / floor.pacedP99).toFixed(1)}`);
}
console.log(`\n${MESSAGES} expert messages over ${TICKETS} booked Zendesk tickets, ${CONCURRENCY} in flight, then ${PACED_MESSAGES} paced at ${PACED_RATE}/s; Book: ${CONTENDERS} clicks at once on each of ${CONTENDED_TICKETS} tickets; jobs poll ${POLL_MS} ms; ${cpus().length} cores (${cpus()[0]?.model.trim()}), Node ${process.version}\n`);
const pair = (a: number, b: number) => (Number.isNaN(a) ? '—' : `${a} / ${b}`);
const ms = (x: number) => (Number.isNaN(x) ? '—' : x.toFixed(2));
console.log('| run | msgs/s | Slack event → Zendesk comment p50 / p99 ms | of which until Slack answered / after, p99 ms | Zendesk comments | CPU ms/message server / MariaDB | paced: event → comment p50 / p99 ms | Book click → answer p50 / p99 ms | bookTicket p50 / p99 ms |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  console.log(
    `| ${r.label} | ${r.throughput.toFixed(0)} | ${pair(r.relayP50, r.relayP99)} | ${pair(r.answeredP99, r.afterP99)} | ${r.comments} | ${Number.isNaN(r.serverCpuPerMessage) ? '—' : `${ms(r.serverCpuPerMessage)} / ${ms(r.mariadbCpuPerMessage)}`} | ${pair(r.pacedP50, r.pacedP99)} | ${pair(r.bookP50, r.bookP99)} | ${pair(r.claimP50, r.claimP99)} |`,
  );
}
process.exit(0);
