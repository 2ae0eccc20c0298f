/**
 * bench/survey — the cost of a survey with a small and a large history, on MariaDB, in one
 * run (issue "Close the loop", point 5: "Ranking update and survey submission"). The
 * ranking keeps decayed sums and everything else a submission touches is found by ticket,
 * so a survey should cost the same whatever came before: this measures that it does.
 *
 * For each size a database of its own is seeded with bulk INSERTs (not measured): experts,
 * customers, their past closed tickets with both sides' (released) aliases, Slack posts,
 * answered surveys, billing entries and fees, the ranking_sums those surveys give; and the
 * resolved tickets waiting for their survey (close_pending) that the run answers. Then two
 * things are measured, the two sizes taking turns in blocks (so that the machine's load at
 * the time weighs on both alike):
 * - the ranking update: recordSurvey then reviewStanding in one unit of work, as closing a
 *   ticket counts a survey, at random experts and categories;
 * - the survey submission: answerSurvey(ctx, token, answer), the use case the survey page
 *   calls — the ticket locked, the survey filled, fillSurveyAndClose (ticket closed, aliases
 *   released, ranking, billing entry and fee, standing reviewed, Slack posts refreshed, the
 *   customer told, the Zendesk status queued), then the page's view read back. The jobs it
 *   queues are written to agenda_jobs and not run.
 * The statements each sends are counted with a Sequelize `beforeQuery` hook.
 *
 * BENCH_MARIADB_URL (default mysql://root@127.0.0.1:3306/helpnet_bench; the sizes use its
 * database name with _small and _large, each dropped after), BENCH_SURVEYS (2000 per size
 * and measure).
 */
import { createHash } from 'node:crypto';
import { cpus } from 'node:os';
import { openDatabase, type Database } from '../../src/db/database.ts';
import { ALL } from '../../src/db/models/ranking-sum.ts';
import type { DomainContext } from '../../src/domain/domain-context.ts';
import { recordSurvey } from '../../src/domain/ranking/record-survey.ts';
import { reviewStanding } from '../../src/domain/ranking/review-standing.ts';
import { addSurvey, EMPTY_SUM, type DecayedSum } from '../../src/domain/ranking/rules.ts';
import { syncRouting } from '../../src/domain/sync-routing.ts';
import { answerSurvey } from '../../src/domain/surveys/answer-survey.ts';
import { hashSurveyToken, surveyLinks } from '../../src/domain/surveys/survey-token.ts';
import { accountLinks } from '../../src/domain/accounts/account-links.ts';
import { createJobs } from '../../src/jobs/agenda.ts';
import { jobDefinitions } from '../../src/jobs/definitions/index.ts';
import { createOutbox } from '../../src/jobs/outbox.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { parseRouting } from '../../src/config/routing.ts';
import { testRouting } from '../../test/support/test-routing.ts';
import { freshDatabase, pct } from '../support.ts';

const MARIADB_URL = process.env.BENCH_MARIADB_URL ?? 'mysql://root@127.0.0.1:3306/helpnet_bench';
const SURVEYS = Number(process.env.BENCH_SURVEYS ?? 2000);
const WARM_UP = 200;
const DAY = 24 * 60 * 60 * 1000;
const HALF_LIFE_DAYS = 90;

interface Size {
  name: string;
  experts: number;
  pastSurveys: number;
}
const SIZES: Size[] = [
  { name: 'small', experts: 100, pastSurveys: 1_000 },
  { name: 'large', experts: 10_000, pastSurveys: 150_000 },
];

/** A deterministic pseudo-random sequence, so both sizes see the same kind of history. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 23).replace('T', ' ');

async function insertRows(db: Database, table: string, columns: string[], rows: unknown[][]): Promise<void> {
  for (let i = 0; i < rows.length; i += 2000) {
    const chunk = rows.slice(i, i + 2000);
    await db.sequelize.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${chunk.map((r) => `(${r.map(() => '?').join(', ')})`).join(', ')}`, { replacements: chunk.flat() });
  }
}

/** Experts, their past tickets and answered surveys over the last two years, and the ranking sums those give. */
const SOURCES = ['zendesk', 'slack', 'widget'] as const;

/** What a size's database holds for the measured part. */
interface Seeded {
  expertIds: number[];
  categoryIds: number[];
  /** The survey tokens of the close_pending tickets, in the order they are answered. */
  tokens: string[];
}

/**
 * Experts, customers, their past tickets over the last two years — closed, with both sides'
 * released aliases, the channel post and the expert's thread, the answered survey, the
 * billing entry and the fee — and the ranking sums those surveys give. Then `pending`
 * resolved tickets waiting for their survey, each with its customer, both sides' aliases
 * held, its Slack posts and its pending survey.
 */
async function seed(db: Database, ctx: DomainContext, size: Size, now: number, pending: number): Promise<Seeded> {
  const rnd = random(42);
  const categories = await db.models.Category.findAll();
  const categoryIds = categories.map((c) => c.id);
  const stamp = iso(now);
  await insertRows(db, 'experts', ['name', 'slack_user_id', 'checked_in', 'surveys_since_review', 'created_at', 'updated_at'], Array.from({ length: size.experts }, (_, i) => [`Expert ${i}`, `UX${String(i).padStart(8, '0')}`, 1, 0, stamp, stamp]));
  const expertIds = (await db.sql.query<{ id: number }>('SELECT id FROM experts ORDER BY id', [])).map((r) => Number(r.id));
  // Past customers: a tenth as many as past tickets (customers come back).
  const pastCustomers = Math.max(1, Math.floor(size.pastSurveys / 10));
  await insertRows(db, 'customers', ['name', 'email', 'created_at', 'updated_at'], Array.from({ length: pastCustomers }, (_, i) => [`Customer ${i}`, `customer${i}@customer.example`, stamp, stamp]));
  const customerIds = (await db.sql.query<{ id: number }>('SELECT id FROM customers ORDER BY id', [])).map((r) => Number(r.id));

  // The history in time order, and the sums it gives (as recordSurvey would have kept them).
  const history = Array.from({ length: size.pastSurveys }, (_, i) => ({
    i,
    at: now - 730 * DAY + Math.floor(rnd() * 729 * DAY),
    expertId: expertIds[Math.floor(rnd() * expertIds.length)]!,
    categoryId: categoryIds[Math.floor(rnd() * categoryIds.length)]!,
    customerId: customerIds[Math.floor(rnd() * customerIds.length)]!,
    source: SOURCES[i % SOURCES.length]!,
    rating: 3 + rnd() * 2,
  }));
  history.sort((a, b) => a.at - b.at);
  const sums = new Map<string, { expertId: number; categoryId: number; sum: DecayedSum; surveys: number }>();
  const add = (expertId: number, categoryId: number, s: (typeof history)[number]) => {
    const key = `${expertId}:${categoryId}`;
    const entry = sums.get(key) ?? { expertId, categoryId, sum: EMPTY_SUM, surveys: 0 };
    entry.sum = addSurvey(entry.sum, { rating: s.rating, weight: 1, answeredAt: s.at }, HALF_LIFE_DAYS);
    entry.surveys += 1;
    sums.set(key, entry);
  };
  for (const s of history) {
    add(ALL, ALL, s);
    add(s.expertId, ALL, s);
    add(s.expertId, s.categoryId, s);
  }
  await insertRows(
    db,
    'tickets',
    ['category_id', 'customer_id', 'source', 'external_id', 'status', 'description', 'expert_id', 'booked_at', 'resolved_at', 'closed_at', 'created_at', 'updated_at'],
    history.map((s) => [s.categoryId, s.customerId, s.source, `bench-${s.i}`, 'closed', 'A past ticket.', s.expertId, iso(s.at), iso(s.at), iso(s.at), iso(s.at), iso(s.at)]),
  );
  const ticketIds = new Map((await db.sql.query<{ id: number; external_id: string }>("SELECT id, external_id FROM tickets WHERE external_id LIKE 'bench-%'", [])).map((r) => [r.external_id, Number(r.id)]));
  const past = history.map((s) => ({ ...s, ticketId: ticketIds.get(`bench-${s.i}`)! }));
  await insertRows(
    db,
    'ticket_aliases',
    ['ticket_id', 'side', 'expert_id', 'name', 'active_name', 'released_at', 'created_at', 'updated_at'],
    past.flatMap((s) => [
      [s.ticketId, 'expert', s.expertId, `Expert alias ${s.i % 500}`, null, iso(s.at), iso(s.at), iso(s.at)],
      [s.ticketId, 'customer', null, `Customer alias ${s.i % 500}`, null, iso(s.at), iso(s.at), iso(s.at)],
    ]),
  );
  await insertRows(
    db,
    'slack_messages',
    ['ticket_id', 'purpose', 'tier', 'expert_id', 'channel', 'status', 'ts', 'created_at', 'updated_at'],
    past.flatMap((s) => [
      [s.ticketId, 'dispatch', 1, null, 'CBENCH', 'sent', `${Math.floor(s.at / 1000)}.${String(s.i).padStart(6, '0')}`, iso(s.at), iso(s.at)],
      [s.ticketId, 'expert_thread', null, s.expertId, `DX${s.expertId}`, 'sent', `${Math.floor(s.at / 1000)}.${String(s.i + 1_000_000).padStart(7, '0')}`, iso(s.at), iso(s.at)],
    ]),
  );
  await insertRows(
    db,
    'surveys',
    ['ticket_id', 'expert_id', 'category_id', 'token_hash', 'token_salt', 'status', 'solved', 'timeliness', 'helpfulness', 'rating', 'weight', 'answered_at', 'created_at', 'updated_at'],
    past.map((s) => [s.ticketId, s.expertId, s.categoryId, String(s.i).padStart(64, '0'), 'salt', 'answered', 1, 4, 4, s.rating, 1, iso(s.at), iso(s.at), iso(s.at)]),
  );
  await insertRows(
    db,
    'billing_entries',
    ['ticket_id', 'customer_id', 'category_id', 'amount_minor', 'currency', 'occurred_at', 'created_at'],
    past.map((s) => [s.ticketId, s.customerId, s.categoryId, 5000, ctx.routing.currency, iso(s.at), iso(s.at)]),
  );
  await insertRows(
    db,
    'expert_fees',
    ['expert_id', 'ticket_id', 'category_id', 'kind', 'solved', 'multiplier', 'amount_minor', 'currency', 'occurred_at', 'created_at'],
    past.map((s) => [s.expertId, s.ticketId, s.categoryId, 'fee', 1, 1, 3000, ctx.routing.currency, iso(s.at), iso(s.at)]),
  );
  await insertRows(
    db,
    'ranking_sums',
    ['expert_id', 'category_id', 'weighted_ratings', 'weights', 'decayed_at', 'surveys'],
    [...sums.values()].map((e) => [e.expertId, e.categoryId, e.sum.weightedRatings, e.sum.weights, iso(e.sum.at), e.surveys]),
  );

  // The tickets to answer: resolved in the last days, each by its own customer on one of
  // the three channels, with both sides' names still held and the posts a booking leaves.
  const open = Array.from({ length: pending }, (_, i) => ({
    i,
    at: now - Math.floor(rnd() * 3 * DAY),
    expertId: expertIds[Math.floor(rnd() * expertIds.length)]!,
    categoryId: categoryIds[Math.floor(rnd() * categoryIds.length)]!,
    source: SOURCES[i % SOURCES.length]!,
    salt: createHash('sha256').update(`pending ${i}`).digest('hex').slice(0, 32),
  }));
  await insertRows(
    db,
    'customers',
    ['name', 'email', 'slack_user_id', 'zendesk_user_id', 'created_at', 'updated_at'],
    open.map((t) => [`Waiting customer ${t.i}`, `waiting${t.i}@customer.example`, t.source === 'slack' ? `UC${String(t.i).padStart(8, '0')}` : null, t.source === 'zendesk' ? String(900_000_000 + t.i) : null, stamp, stamp]),
  );
  const waitingCustomers = new Map((await db.sql.query<{ id: number; email: string }>("SELECT id, email FROM customers WHERE email LIKE 'waiting%'", [])).map((r) => [r.email, Number(r.id)]));
  await insertRows(
    db,
    'tickets',
    ['category_id', 'customer_id', 'source', 'external_id', 'status', 'description', 'expert_id', 'booked_at', 'resolved_at', 'created_at', 'updated_at'],
    open.map((t) => [t.categoryId, waitingCustomers.get(`waiting${t.i}@customer.example`), t.source, `pending-${t.i}`, 'close_pending', 'A resolved ticket.', t.expertId, iso(t.at), iso(t.at), iso(t.at), iso(t.at)]),
  );
  const openIds = new Map((await db.sql.query<{ id: number; external_id: string }>("SELECT id, external_id FROM tickets WHERE external_id LIKE 'pending-%'", [])).map((r) => [r.external_id, Number(r.id)]));
  const waiting = open.map((t) => ({ ...t, ticketId: openIds.get(`pending-${t.i}`)! }));
  await insertRows(
    db,
    'ticket_aliases',
    ['ticket_id', 'side', 'expert_id', 'name', 'active_name', 'created_at', 'updated_at'],
    waiting.flatMap((t) => [
      [t.ticketId, 'expert', t.expertId, `Expert ${t.i}`, `Expert ${t.i}`, iso(t.at), iso(t.at)],
      [t.ticketId, 'customer', null, `Customer ${t.i}`, `Customer ${t.i}`, iso(t.at), iso(t.at)],
    ]),
  );
  const expertAliases = new Map((await db.sql.query<{ id: number; ticket_id: number }>("SELECT id, ticket_id FROM ticket_aliases WHERE side = 'expert' AND released_at IS NULL", [])).map((r) => [Number(r.ticket_id), Number(r.id)]));
  await insertRows(
    db,
    'slack_messages',
    ['ticket_id', 'purpose', 'tier', 'expert_id', 'alias_id', 'channel', 'status', 'ts', 'created_at', 'updated_at'],
    waiting.flatMap((t) => [
      [t.ticketId, 'dispatch', 1, null, null, 'CBENCH', 'sent', `${Math.floor(t.at / 1000)}.${String(t.i).padStart(6, '0')}`, iso(t.at), iso(t.at)],
      [t.ticketId, 'expert_thread', null, t.expertId, expertAliases.get(t.ticketId), `DX${t.expertId}`, 'sent', `${Math.floor(t.at / 1000)}.${String(t.i + 1_000_000).padStart(7, '0')}`, iso(t.at), iso(t.at)],
      ...(t.source === 'slack' ? [[t.ticketId, 'requester_confirmation', null, null, null, `DC${t.i}`, 'sent', `${Math.floor(t.at / 1000)}.${String(t.i + 2_000_000).padStart(7, '0')}`, iso(t.at), iso(t.at)]] : []),
    ]),
  );
  const tokens = waiting.map((t) => ctx.surveyLinks.tokenFor(t.salt));
  await insertRows(
    db,
    'surveys',
    ['ticket_id', 'expert_id', 'category_id', 'token_hash', 'token_salt', 'status', 'created_at', 'updated_at'],
    waiting.map((t, k) => [t.ticketId, t.expertId, t.categoryId, hashSurveyToken(tokens[k]!), t.salt, 'pending', iso(t.at), iso(t.at)]),
  );
  return { expertIds, categoryIds, tokens };
}

interface Figures {
  p50: number;
  p99: number;
  mean: number;
  statements: number;
}

/** A size's database, seeded, with a statement counter. */
interface Prepared {
  size: Size;
  db: Database;
  ctx: DomainContext;
  seeded: Seeded;
  seedS: number;
  rows: Record<string, number>;
  statements(): number;
  drop(): Promise<void>;
}

const routing = parseRouting(JSON.stringify({ ...testRouting(), ranking: { halfLifeDays: HALF_LIFE_DAYS, priorWeight: 5, suspendBelow: 2, minSurveys: 5 } }), 'bench routing');
/** The secret survey links are made with: the context's, so the tokens seeded are the ones answerSurvey finds. */
const SECRET = 'bench-secret';

async function prepare(size: Size): Promise<Prepared> {
  const url = new URL(MARIADB_URL);
  url.pathname = `${url.pathname}_${size.name}`;
  const database = await freshDatabase('mariadb', url.toString());
  const db = await openDatabase(database.url);
  await syncRouting(db, routing);
  const ctx: DomainContext = { db, routing, now: () => new Date(), outbox: createOutbox(() => jobs, jobDefinitions), surveyLinks: surveyLinks(SECRET, 'http://localhost'), accountLinks: accountLinks(SECRET, 'http://localhost') };
  // Never started: the jobs queued are written to agenda_jobs and left there.
  const jobs = createJobs({ ...ctx, logger: createLogger('silent') }, { pollMs: 1000, definitions: jobDefinitions });
  const t0 = Date.now();
  const seeded = await seed(db, ctx, size, Date.now(), WARM_UP + SURVEYS);
  const seedS = (Date.now() - t0) / 1000;
  const rows: Record<string, number> = {};
  for (const table of ['experts', 'customers', 'tickets', 'ticket_aliases', 'slack_messages', 'surveys', 'billing_entries', 'expert_fees', 'ranking_sums']) rows[table] = Number((await db.sql.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`, []))[0]!.n);
  // Fresh statistics, as a server that has run for a while has them.
  await db.sequelize.query('ANALYZE TABLE experts, customers, tickets, ticket_aliases, slack_messages, surveys, billing_entries, expert_fees, ranking_sums');
  let statements = 0;
  db.sequelize.addHook('beforeQuery', () => {
    statements += 1;
  });
  return {
    size,
    db,
    ctx,
    seeded,
    seedS,
    rows,
    statements: () => statements,
    async drop() {
      await db.close();
      await database.drop();
    },
  };
}

/** Runs `step(p, i)` WARM_UP + SURVEYS times, and gives the figures over the measured steps. */
async function measure(p: Prepared, step: (p: Prepared, i: number) => Promise<void>): Promise<Figures> {
  const latencies: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < WARM_UP + SURVEYS; i++) {
    const before = p.statements();
    const start = process.hrtime.bigint();
    await step(p, i);
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (i >= WARM_UP) {
      latencies.push(ms);
      counts.push(p.statements() - before);
    }
  }
  return { p50: pct(latencies, 50), p99: pct(latencies, 99), mean: latencies.reduce((a, b) => a + b, 0) / latencies.length, statements: counts.reduce((a, b) => a + b, 0) / counts.length };
}

/** The ranking's part alone: a survey counted as closing a ticket counts it. */
function rankingUpdate(): (p: Prepared, i: number) => Promise<void> {
  const rnd = random(7);
  return async (p) => {
    const { expertIds, categoryIds } = p.seeded;
    const survey = { expertId: expertIds[Math.floor(rnd() * expertIds.length)]!, categoryId: categoryIds[Math.floor(rnd() * categoryIds.length)]!, rating: 3 + rnd() * 2, weight: 1 };
    await p.db.unitOfWork(async (t) => {
      const standing = await recordSurvey(p.ctx, t, survey);
      await reviewStanding(p.ctx, t, standing);
    });
  };
}

/** A whole submission: the customer's answer to the i-th waiting ticket's survey, as the survey page passes it. */
function surveySubmission(): (p: Prepared, i: number) => Promise<void> {
  const rnd = random(11);
  return async (p, i) => {
    // Mostly good answers, as the history's: a run of bad ones would suspend experts, and more so among 100 than 10,000.
    const answer = { solved: rnd() < 0.9, timeliness: 3 + Math.floor(rnd() * 3), helpfulness: 3 + Math.floor(rnd() * 3), comment: i % 4 === 0 ? 'Quick and clear, thank you.' : null };
    const result = await answerSurvey(p.ctx, p.seeded.tokens[i]!, answer);
    if (result.outcome !== 'answered') throw new Error(`survey ${i} of ${p.size.name}: ${result.outcome}`);
  };
}

// One size at a time: the models are module-level classes bound to one database (see
// db/models/index.ts), so a process cannot use two databases at once.
const figures: Record<string, Figures[]> = { 'ranking update': [], 'survey submission': [] };
for (const size of SIZES) {
  const p = await prepare(size);
  try {
    console.log(`${size.name.padEnd(5)} ${String(size.experts).padStart(6)} experts, ${String(size.pastSurveys).padStart(7)} past surveys: seeded in ${p.seedS.toFixed(1)} s; rows: ${Object.entries(p.rows).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    figures['ranking update']!.push(await measure(p, rankingUpdate()));
    figures['survey submission']!.push(await measure(p, surveySubmission()));
  } finally {
    await p.drop();
  }
}
let ok = true;
for (const [name, [small, large]] of Object.entries(figures)) {
  console.log(`\n${name}:`);
  for (const [k, f] of [small!, large!].entries()) console.log(`  ${SIZES[k]!.name.padEnd(5)} p50 ${f.p50.toFixed(2)} ms, p99 ${f.p99.toFixed(2)} ms, mean ${f.mean.toFixed(2)} ms, ${f.statements.toFixed(2)} statements each`);
  const ratio = (k: keyof Figures) => large![k] / small![k];
  console.log(`  large/small: p50 ${ratio('p50').toFixed(2)}, p99 ${ratio('p99').toFixed(2)}, statements ${ratio('statements').toFixed(2)} (limit 1.5)`);
  if (!(ratio('p50') <= 1.5 && ratio('p99') <= 1.5 && ratio('statements') <= 1.5)) ok = false;
}
console.log(`\nmachine: ${cpus()[0]?.model ?? 'unknown'}, ${cpus().length} cores; ${SURVEYS} measured per size and measure after ${WARM_UP} warm-up`);
console.log(ok ? 'OK: the cost per survey does not grow with history' : 'OVER: the cost per survey grows with history');
process.exitCode = ok ? 0 : 1;
