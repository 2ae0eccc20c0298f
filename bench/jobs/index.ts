/**
 * bench/jobs: schedule 5,000 immediate jobs and run them with 2 worker processes, on our
 * Sequelize backend (MariaDB, SQLite) and, in the same run, on the official PostgreSQL and
 * Redis backends. Prints throughput and the lag from a job's due time to its start.
 *
 *   npm run bench -- jobs            (BENCH_JOBS=5000 BENCH_POLL_MS=200 BENCH_KINDS=mariadb,postgres,…)
 */
import { fork, type ChildProcess } from 'node:child_process';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Agenda } from 'agenda';
import { KINDS, LABELS, openBackend, prepare, type Kind } from './backends.ts';

const JOBS = Number(process.env.BENCH_JOBS ?? 5000);
const POLL_MS = Number(process.env.BENCH_POLL_MS ?? 200);
const WORKERS = 2;
const SCHEDULE_CONCURRENCY = 10;
const PACED_RATE = Number(process.env.BENCH_PACED_RATE ?? 100);
const PACED_JOBS = Number(process.env.BENCH_PACED_JOBS ?? 1000);
const kinds = (process.env.BENCH_KINDS?.split(',') ?? [...KINDS]) as Kind[];
const here = dirname(fileURLToPath(import.meta.url));

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

interface Row {
  kind: Kind;
  scheduleRate: number;
  throughput: number;
  burstP50: number;
  burstP99: number;
  p50: number;
  p99: number;
  max: number;
}

async function runOne(kind: Kind): Promise<Row> {
  const { location, cleanup } = await prepare(kind);
  const parent = await openBackend(kind, location, true);
  const scheduler = new Agenda({ backend: parent.backend, processEvery: 60_000 });
  await scheduler.ready;
  await scheduler.cancel({ name: 'bench.run' });

  const runs: [number, number][] = [];
  const workers: ChildProcess[] = [];
  await Promise.all(
    Array.from({ length: WORKERS }, () => {
      const child = fork(join(here, 'worker.ts'), [kind, location, String(POLL_MS)], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
      workers.push(child);
      return new Promise<void>((ok, fail) => {
        child.on('message', (m: { ready?: boolean; runs?: [number, number][] }) => {
          if (m.ready) ok();
          if (m.runs) {
            runs.push(...m.runs);
          }
        });
        child.on('exit', (code) => (code ? fail(new Error(`${kind} worker exited with ${code}`)) : undefined));
      });
    }),
  );

  // Burst: all jobs as fast as the scheduler can save them; measures throughput.
  const waitFor = async (count: number, limitMs: number) => {
    const end = Date.now() + limitMs;
    while (runs.length < count && Date.now() < end) await new Promise((ok) => setTimeout(ok, 20));
    if (runs.length < count) {
      const left = await scheduler.queryJobs({ name: 'bench.run' });
      const notRun = left.jobs.filter((j) => !j.lastRunAt);
      throw new Error(`${kind}: only ${runs.length} of ${count} jobs ran within ${limitMs / 1000} s; ${notRun.length} never started`);
    }
  };
  const save = () => scheduler.create('bench.run', { due: Date.now() }).schedule(new Date()).save();
  const t0 = Date.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: SCHEDULE_CONCURRENCY }, async () => {
      while (next < JOBS) {
        next++;
        await save();
      }
    }),
  );
  const scheduled = Date.now();
  await waitFor(JOBS, 300_000);
  const finished = Date.now();
  const burstLags = runs.map(([due, start]) => start - due).sort((a, b) => a - b);

  // Paced: PACED_RATE jobs a second, below every backend's capacity; measures due-to-start lag.
  runs.length = 0;
  const pacedStart = Date.now();
  for (let n = 0; n < PACED_JOBS; n++) {
    const dueAt = pacedStart + (n * 1000) / PACED_RATE;
    const wait = dueAt - Date.now();
    if (wait > 0) await new Promise((ok) => setTimeout(ok, wait));
    void save();
  }
  await waitFor(PACED_JOBS, 120_000);
  const pacedLags = runs.map(([due, start]) => start - due).sort((a, b) => a - b);

  for (const w of workers) w.send({ stop: true });
  await Promise.all(workers.map((w) => new Promise((ok) => (w.exitCode !== null ? ok(null) : w.on('exit', ok)))));
  await scheduler.cancel({ name: 'bench.run' });
  await scheduler.stop(true);
  await parent.close();
  await cleanup();

  return {
    kind,
    scheduleRate: JOBS / ((scheduled - t0) / 1000),
    throughput: JOBS / ((finished - t0) / 1000),
    burstP50: percentile(burstLags, 50),
    burstP99: percentile(burstLags, 99),
    p50: percentile(pacedLags, 50),
    p99: percentile(pacedLags, 99),
    max: pacedLags[pacedLags.length - 1]!,
  };
}

const rows: Row[] = [];
for (const kind of kinds) {
  process.stdout.write(`running ${LABELS[kind]} … `);
  const row = await runOne(kind);
  rows.push(row);
  console.log('done');
}

console.log(`\nBurst: ${JOBS} immediate jobs saved by ${SCHEDULE_CONCURRENCY} concurrent callers; paced: ${PACED_JOBS} jobs at ${PACED_RATE}/s.`);
console.log(`${WORKERS} worker processes, poll every ${POLL_MS} ms, concurrency 50; ${cpus().length} cores (${cpus()[0]?.model.trim()}), Node ${process.version}\n`);
console.log('| backend | burst: saved jobs/s | burst: run jobs/s | burst lag p50 / p99 ms | paced lag p50 ms | paced lag p99 ms | paced lag max ms |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  console.log(`| ${LABELS[r.kind]} | ${r.scheduleRate.toFixed(0)} | ${r.throughput.toFixed(0)} | ${r.burstP50} / ${r.burstP99} | ${r.p50} | ${r.p99} | ${r.max} |`);
}
const ours = rows.find((r) => r.kind === 'mariadb');
const pg = rows.find((r) => r.kind === 'postgres');
if (ours && pg) {
  console.log(`\nMariaDB/PostgreSQL run throughput: ${(ours.throughput / pg.throughput).toFixed(2)} (target ≥ 1)`);
}
if (ours) console.log(`MariaDB paced lag p99: ${ours.p99} ms (target ≤ poll ${POLL_MS} + 50 = ${POLL_MS + 50} ms)`);
process.exit(0);
