/**
 * bench/home — the manager's App Home with a small and a large network, on MariaDB, in one
 * run (issue 14, "Benchmark (`bench/home`)"): the time to build the view (read everything
 * it shows and make its Block Kit) and the SQL statements one build sends. Targets: the
 * same statement count at both sizes (no query per expert or per ticket) and build time
 * large/small ≤ 3.
 *
 * Each size gets a database of its own, seeded first (bench/home/seed.ts; not measured).
 * Then the builds are measured in rounds, the sizes taking turns within each (so that the
 * shared machine's load at the time weighs on both alike): a round opens the size's
 * database, builds the view a few times unmeasured, then BENCH_HOME_BUILDS / ROUNDS times
 * measured, one build after the other, and closes it (a process serves one database at a
 * time: the models are module-level classes). The clock is fixed at the seeding's "now",
 * so every build reads the same 7- and 30-day windows. Statements are counted with a
 * Sequelize `afterQuery` hook (a transaction's START and COMMIT included); when the two
 * sizes' counts differ, the statements that differ are printed.
 *
 * BENCH_MARIADB_URL (default mysql://root@127.0.0.1:3306/helpnet_bench_home; the sizes use
 * its database name with _small and _large, dropped at the end unless BENCH_HOME_KEEP=1),
 * BENCH_HOME_BUILDS (measured builds per size, default 30), BENCH_HOME_DAYS (how many days
 * the tickets are filed over, default 60: the 30-day statistics then cover half of them),
 * BENCH_HOME_SIZES (e.g. "small" to run one), BENCH_HOME_SQL=1 (print one build's
 * statements for each size, and where the large build's time goes).
 */
import { cpus } from 'node:os';
import mysql from 'mysql2/promise';
import { openDatabase, type Database } from '../../src/db/database.ts';
import type { DomainContext } from '../../src/domain/domain-context.ts';
import { freshDatabase, pct } from '../support.ts';
import { benchRouting, describeSeed, seedHome, type HomeSize } from './seed.ts';

// ── The function under test ───────────────────────────────────────────────────────────
// Builds the manager's Home as it is published: everything it shows read, and its view made.
import { loadHome } from '../../src/domain/home/load-home.ts';
import { refreshStatisticsSnapshots } from '../../src/domain/home/statistics-snapshots.ts';
import { buildHomeView } from '../../src/slack/blocks/home-view.ts';
type BuildManagerHome = (ctx: Pick<DomainContext, 'db' | 'now' | 'routing'>, viewerSlackId: string) => Promise<unknown>;
// The viewer is a manager who is also an approved expert: both parts are built.
const buildManagerHome: BuildManagerHome = async (ctx, viewer) => buildHomeView(await loadHome(ctx, viewer, { managerSlackIds: [viewer] }));
const UNDER_TEST = 'loadHome + buildHomeView, for a manager who is also an expert';
// ──────────────────────────────────────────────────────────────────────────────────────

const MARIADB_URL = process.env.BENCH_MARIADB_URL ?? 'mysql://root@127.0.0.1:3306/helpnet_bench_home';
const BUILDS = Number(process.env.BENCH_HOME_BUILDS ?? 30);
const ROUNDS = 3;
const WARM_UP = 3;
const KEEP = process.env.BENCH_HOME_KEEP === '1';
const PRINT_SQL = process.env.BENCH_HOME_SQL === '1';
const LIMIT = 3;

const DAYS = Number(process.env.BENCH_HOME_DAYS ?? 60);
const ALL_SIZES: HomeSize[] = [
  { name: 'small', experts: 100, tickets: 2_000, surveys: 1_500, days: DAYS },
  { name: 'large', experts: 10_000, tickets: 200_000, surveys: 150_000, days: DAYS },
];
const wanted = process.env.BENCH_HOME_SIZES?.split(',').map((s) => s.trim());
const SIZES = wanted ? ALL_SIZES.filter((s) => wanted.includes(s.name)) : ALL_SIZES;

const routing = benchRouting();
/** The one "now" of the run: the seeding's and every build's. */
const NOW = Date.now();

function urlOf(size: HomeSize): string {
  const url = new URL(MARIADB_URL);
  url.pathname = `${url.pathname}_${size.name}`;
  return url.toString();
}

/** A statement's shape, its values left out, to compare the two sizes' builds. */
const shape = (sql: string) =>
  sql
    .replace(/'(?:[^'\\]|\\.)*'/g, '?')
    .replace(/\b\d+(\.\d+)?\b/g, '?')
    .replace(/(\?\s*,\s*)+\?/g, '?…')
    .replace(/\s+/g, ' ')
    .trim();

interface Prepared {
  size: HomeSize;
  url: string;
  viewerSlackId: string;
  seedS: number;
  rows: Record<string, number>;
  summary: string;
  latencies: number[];
  statements: number[];
  /** The statements of the last measured build, by shape. */
  lastBuild: string[];
  /** Milliseconds from sending to answer, summed over the measured builds, by shape (statements run side by side overlap). */
  statementMs: Map<string, number>;
  blocks: number;
  /** The home.statistics job's time, once a round (not part of a build). */
  statisticsJobMs: number[];
  viewBytes: number;
}

async function prepare(size: HomeSize): Promise<Prepared> {
  const database = await freshDatabase('mariadb', urlOf(size));
  const db = await openDatabase(database.url);
  try {
    const t0 = Date.now();
    const seeded = await seedHome(db, routing, size, NOW);
    const seedS = (Date.now() - t0) / 1000;
    const summary = await describeSeed(db);
    return { size, url: database.url, viewerSlackId: seeded.viewerSlackId, seedS, rows: seeded.rows, summary, latencies: [], statements: [], lastBuild: [], statementMs: new Map(), blocks: 0, viewBytes: 0, statisticsJobMs: [] };
  } finally {
    await db.close();
  }
}

/** One round for one size: warm-up builds, then `count` measured ones. */
async function round(p: Prepared, count: number): Promise<void> {
  const db: Database = await openDatabase(p.url, { migrate: false });
  let current: string[] = [];
  let timings: [string, number][] = [];
  const started = new WeakMap<object, bigint>();
  db.sequelize.addHook('beforeQuery', (_options, query) => {
    started.set(query, process.hrtime.bigint());
  });
  db.sequelize.addHook('afterQuery', (_options, query) => {
    const sql = String((query as unknown as { sql?: string }).sql ?? '');
    current.push(sql);
    timings.push([sql, Number(process.hrtime.bigint() - (started.get(query) ?? process.hrtime.bigint())) / 1e6]);
  });
  const ctx: Pick<DomainContext, 'db' | 'now' | 'routing'> = { db, routing, now: () => new Date(NOW) };
  try {
    for (let i = 0; i < WARM_UP + count; i++) {
      current = [];
      timings = [];
      const start = process.hrtime.bigint();
      const view = await buildManagerHome(ctx, p.viewerSlackId);
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (i < WARM_UP) continue;
      p.latencies.push(ms);
      p.statements.push(current.length);
      p.lastBuild = current.map(shape);
      for (const [sql, t] of timings) p.statementMs.set(shape(sql), (p.statementMs.get(shape(sql)) ?? 0) + t);
      const blocks = (view as { blocks?: unknown[] } | undefined)?.blocks;
      p.blocks = Array.isArray(blocks) ? blocks.length : Array.isArray(view) ? view.length : NaN;
      p.viewBytes = Buffer.byteLength(JSON.stringify(view) ?? '');
    }
    // The statistics the Home reads are kept by the home.statistics job (every 5 minutes):
    // its cost grows with the tickets of 30 days, in the background. Timed once a round.
    const start = process.hrtime.bigint();
    await refreshStatisticsSnapshots(ctx);
    p.statisticsJobMs.push(Number(process.hrtime.bigint() - start) / 1e6);
  } finally {
    await db.close();
  }
}

async function dropAll(): Promise<void> {
  const u = new URL(MARIADB_URL);
  const conn = await mysql.createConnection({ host: u.hostname, port: Number(u.port || 3306), user: u.username, password: u.password });
  for (const size of SIZES) await conn.query(`DROP DATABASE IF EXISTS \`${new URL(urlOf(size)).pathname.slice(1)}\``);
  await conn.end();
}

const prepared: Prepared[] = [];
try {
  for (const size of SIZES) {
    const p = await prepare(size);
    console.log(`${size.name.padEnd(5)} ${size.experts} experts, ${size.tickets} tickets over ${size.days} days, ${size.surveys} surveys: seeded in ${p.seedS.toFixed(1)} s`);
    console.log(`      rows: ${Object.entries(p.rows).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    console.log(`      ${p.summary}`);
    prepared.push(p);
  }
  const per = Math.ceil(BUILDS / ROUNDS);
  for (let r = 0; r < ROUNDS; r++) for (const p of prepared) await round(p, Math.min(per, BUILDS - r * per));

  console.log(`\nunder test: ${UNDER_TEST}`);
  console.log('\n| network | p50 ms | p99 ms | mean ms | statements / build | blocks | view bytes |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const p of prepared) {
    const mean = p.latencies.reduce((a, b) => a + b, 0) / p.latencies.length;
    const counts = [...new Set(p.statements)].sort((a, b) => a - b).join('–');
    console.log(`| ${p.size.experts} experts, ${p.size.tickets} tickets, ${p.size.surveys} surveys | ${pct(p.latencies, 50).toFixed(2)} | ${pct(p.latencies, 99).toFixed(2)} | ${mean.toFixed(2)} | ${counts} | ${p.blocks} | ${p.viewBytes} |`);
  }
  for (const p of prepared) {
    const job = [...p.statisticsJobMs].sort((a, b) => a - b);
    console.log(`home.statistics job (background, every 5 minutes) at ${p.size.experts} experts: ${job.map((ms) => ms.toFixed(0)).join(', ')} ms`);
  }
  if (PRINT_SQL) {
    for (const p of prepared) {
      console.log(`\nstatements of one ${p.size.name} build:`);
      for (const s of p.lastBuild) console.log(`  ${s.slice(0, 200)}`);
    }
  }
  let ok = true;
  if (prepared.length === 2) {
    const [small, large] = prepared as [Prepared, Prepared];
    const ratio = (f: (p: Prepared) => number) => f(large) / f(small);
    const p50 = ratio((p) => pct(p.latencies, 50));
    const p99 = ratio((p) => pct(p.latencies, 99));
    const sameCount = Math.max(...small.statements, ...large.statements) === Math.min(...small.statements, ...large.statements);
    console.log(`\nlarge/small: p50 ${p50.toFixed(2)}, p99 ${p99.toFixed(2)} (limit ${LIMIT}); statements ${sameCount ? 'the same' : 'DIFFER'} (${Math.max(...small.statements)} and ${Math.max(...large.statements)})`);
    if (!sameCount) {
      const tally = (xs: string[]) => xs.reduce((m, s) => m.set(s, (m.get(s) ?? 0) + 1), new Map<string, number>());
      const a = tally(small.lastBuild);
      const b = tally(large.lastBuild);
      console.log('statements sent a different number of times (small → large):');
      for (const s of new Set([...a.keys(), ...b.keys()])) if (a.get(s) !== b.get(s)) console.log(`  ${a.get(s) ?? 0} → ${b.get(s) ?? 0}: ${s.slice(0, 200)}`);
    }
    ok = sameCount && p50 <= LIMIT && p99 <= LIMIT;
    if (!ok || PRINT_SQL) {
      // Where a large build's time goes: the statements taking longest at the large size, beside the small size's.
      const per = (p: Prepared, s: string) => (p.statementMs.get(s) ?? 0) / p.latencies.length;
      console.log('slowest statements at the large size, ms per build (large / small; statements sent side by side overlap):');
      for (const s of [...large.statementMs.keys()].sort((x, y) => per(large, y) - per(large, x)).slice(0, 10)) console.log(`  ${per(large, s).toFixed(1)} / ${per(small, s).toFixed(1)}: ${s.slice(0, 160)}`);
    }
  }
  console.log(`\nmachine: ${cpus()[0]?.model ?? 'unknown'}, ${cpus().length} cores; Node ${process.version}; ${BUILDS} measured builds per size in ${ROUNDS} rounds, ${WARM_UP} unmeasured before each`);
  if (prepared.length === 2) console.log(ok ? 'OK: the Home costs the same statements at both sizes and at most 3 times the time' : 'OVER: see above');
  process.exitCode = ok ? 0 : 1;
} finally {
  if (!KEEP) await dropAll();
}
