/**
 * bench/survey — the cost of counting one survey in the ranking, with a small and a large
 * history, on MariaDB (issue "Close the loop", point 5). The ranking keeps decayed sums, so
 * a survey costs the same whatever came before: this measures that it does.
 *
 * For each size, a fresh database is seeded with bulk INSERTs (not measured): experts,
 * their past tickets and answered surveys, and the ranking_sums those surveys give. Then
 * SURVEYS surveys are counted one after another, each as closing a ticket counts it —
 * recordSurvey then reviewStanding, in one unit of work — at random experts and categories;
 * the statements each sends are counted with a Sequelize `beforeQuery` hook.
 *
 * BENCH_MARIADB_URL (default mysql://root@127.0.0.1:3306/helpnet_bench), BENCH_SURVEYS (2000).
 */
import { cpus } from 'node:os';
import { openDatabase, type Database } from '../../src/db/database.ts';
import { ALL } from '../../src/db/models/ranking-sum.ts';
import type { DomainContext } from '../../src/domain/domain-context.ts';
import { recordSurvey } from '../../src/domain/ranking/record-survey.ts';
import { reviewStanding } from '../../src/domain/ranking/review-standing.ts';
import { addSurvey, EMPTY_SUM, type DecayedSum } from '../../src/domain/ranking/rules.ts';
import { syncRouting } from '../../src/domain/sync-routing.ts';
import { surveyLinks } from '../../src/domain/surveys/survey-token.ts';
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
async function seed(db: Database, size: Size, now: number): Promise<{ expertIds: number[]; categoryIds: number[] }> {
  const rnd = random(42);
  const categoryIds = (await db.models.Category.findAll()).map((c) => c.id);
  const stamp = iso(now);
  await insertRows(db, 'experts', ['name', 'slack_user_id', 'checked_in', 'surveys_since_review', 'created_at', 'updated_at'], Array.from({ length: size.experts }, (_, i) => [`Expert ${i}`, `UX${String(i).padStart(8, '0')}`, 1, 0, stamp, stamp]));
  const expertIds = (await db.sql.query<{ id: number }>('SELECT id FROM experts ORDER BY id', [])).map((r) => Number(r.id));
  await insertRows(db, 'customers', ['name', 'email', 'created_at', 'updated_at'], [['Bench customer', 'bench@customer.example', stamp, stamp]]);
  const customerId = Number((await db.sql.query<{ id: number }>('SELECT MAX(id) AS id FROM customers', []))[0]!.id);

  // The history in time order, and the sums it gives (as recordSurvey would have kept them).
  const history = Array.from({ length: size.pastSurveys }, (_, i) => ({ i, at: now - 730 * DAY + Math.floor(rnd() * 729 * DAY), expertId: expertIds[Math.floor(rnd() * expertIds.length)]!, categoryId: categoryIds[Math.floor(rnd() * categoryIds.length)]!, rating: 3 + rnd() * 2 }));
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
    ['category_id', 'customer_id', 'source', 'external_id', 'status', 'description', 'expert_id', 'closed_at', 'created_at', 'updated_at'],
    history.map((s) => [s.categoryId, customerId, 'widget', `bench-${s.i}`, 'closed', 'A past ticket.', s.expertId, iso(s.at), iso(s.at), iso(s.at)]),
  );
  const ticketIds = new Map((await db.sql.query<{ id: number; external_id: string }>("SELECT id, external_id FROM tickets WHERE source = 'widget'", [])).map((r) => [r.external_id, Number(r.id)]));
  await insertRows(
    db,
    'surveys',
    ['ticket_id', 'expert_id', 'category_id', 'token_hash', 'token_salt', 'status', 'solved', 'timeliness', 'helpfulness', 'rating', 'weight', 'answered_at', 'created_at', 'updated_at'],
    history.map((s) => [ticketIds.get(`bench-${s.i}`), s.expertId, s.categoryId, String(s.i).padStart(64, '0'), 'salt', 'answered', 1, 4, 4, s.rating, 1, iso(s.at), iso(s.at), iso(s.at)]),
  );
  await insertRows(
    db,
    'ranking_sums',
    ['expert_id', 'category_id', 'weighted_ratings', 'weights', 'decayed_at', 'surveys'],
    [...sums.values()].map((e) => [e.expertId, e.categoryId, e.sum.weightedRatings, e.sum.weights, iso(e.sum.at), e.surveys]),
  );
  return { expertIds, categoryIds };
}

async function measure(size: Size): Promise<{ size: Size; p50: number; p99: number; mean: number; statements: number; seedS: number; rows: Record<string, number> }> {
  const database = await freshDatabase('mariadb', MARIADB_URL);
  const db = await openDatabase(database.url);
  try {
    const routing = parseRouting(JSON.stringify({ ...testRouting(), ranking: { halfLifeDays: HALF_LIFE_DAYS, priorWeight: 5, suspendBelow: 2, minSurveys: 5 } }), 'bench routing');
    await syncRouting(db, routing);
    const now = Date.now();
    const t0 = Date.now();
    const { expertIds, categoryIds } = await seed(db, size, now);
    const seedS = (Date.now() - t0) / 1000;
    const rows: Record<string, number> = {};
    for (const table of ['experts', 'tickets', 'surveys', 'ranking_sums']) rows[table] = Number((await db.sql.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`, []))[0]!.n);

    const ctx: DomainContext = { db, routing, now: () => new Date(), outbox: createOutbox(() => jobs, jobDefinitions), surveyLinks: surveyLinks('bench-secret', 'http://localhost') };
    const jobs = createJobs({ ...ctx, logger: createLogger('silent') }, { pollMs: 1000, definitions: jobDefinitions });
    let statements = 0;
    db.sequelize.addHook('beforeQuery', () => {
      statements += 1;
    });
    const rnd = random(7);
    const latencies: number[] = [];
    const counts: number[] = [];
    for (let i = 0; i < WARM_UP + SURVEYS; i++) {
      const survey = { expertId: expertIds[Math.floor(rnd() * expertIds.length)]!, categoryId: categoryIds[Math.floor(rnd() * categoryIds.length)]!, rating: 3 + rnd() * 2, weight: 1 };
      const before = statements;
      const start = process.hrtime.bigint();
      await db.unitOfWork(async (t) => {
        const standing = await recordSurvey(ctx, t, survey);
        await reviewStanding(ctx, t, standing);
      });
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (i >= WARM_UP) {
        latencies.push(ms);
        counts.push(statements - before);
      }
    }
    return { size, p50: pct(latencies, 50), p99: pct(latencies, 99), mean: latencies.reduce((a, b) => a + b, 0) / latencies.length, statements: counts.reduce((a, b) => a + b, 0) / counts.length, seedS, rows };
  } finally {
    await db.close();
    await database.drop();
  }
}

const results = [];
for (const size of SIZES) {
  const r = await measure(size);
  results.push(r);
  console.log(
    `${size.name.padEnd(5)} ${String(size.experts).padStart(6)} experts, ${String(size.pastSurveys).padStart(7)} past surveys (rows: ${Object.entries(r.rows).map(([k, v]) => `${k} ${v}`).join(', ')}; seeded in ${r.seedS.toFixed(1)} s): ` +
      `p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms, mean ${r.mean.toFixed(2)} ms, ${r.statements.toFixed(2)} statements per survey`,
  );
}
const [small, large] = results;
const ratio = (k: 'p50' | 'p99' | 'statements') => large![k] / small![k];
console.log(`large/small: p50 ${ratio('p50').toFixed(2)}, p99 ${ratio('p99').toFixed(2)}, statements ${ratio('statements').toFixed(2)} (limit 1.5)`);
console.log(`machine: ${cpus()[0]?.model ?? 'unknown'}, ${cpus().length} cores; ${SURVEYS} surveys measured per size after ${WARM_UP} warm-up`);
const ok = ratio('p50') <= 1.5 && ratio('p99') <= 1.5 && ratio('statements') <= 1.5;
console.log(ok ? 'OK: the cost per survey does not grow with history' : 'OVER: the cost per survey grows with history');
process.exit(ok ? 0 : 1);
