import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { beforeCommit } from '../../src/db/unit-of-work.ts';
import type { Database } from '../../src/db/database.ts';
import { createJobs, type Jobs } from '../../src/jobs/agenda.ts';
import { defineJob, type JobDefinition } from '../../src/jobs/define-job.ts';
import { jobContext } from '../support/job-context.ts';
import { statementsDuring } from '../support/statements.ts';
import { openTestDatabase, TEST_ENGINE } from '../support/test-database.ts';

const until = async (check: () => boolean | Promise<boolean>, timeoutMs = 10_000) => {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((ok) => setTimeout(ok, 20));
  }
};

interface Row {
  id: number;
  locked_at: number | string | null;
  next_run_at: number | string | null;
  last_finished_at: number | string | null;
  fail_count: number | null;
  data: string;
}

describe(`jobs written in this process run here after commit (${TEST_ENGINE})`, () => {
  let handle: Awaited<ReturnType<typeof openTestDatabase>>;
  let db: Database;
  const started: Jobs[] = [];

  beforeAll(async () => {
    handle = await openTestDatabase();
    db = handle.db;
  });
  afterEach(async () => {
    for (const j of started.splice(0)) await j.stop(1000);
    await db.sequelize.query('DELETE FROM agenda_jobs');
  });
  afterAll(async () => {
    await handle.close();
  });

  // Polling every minute: only the local run can start a job within these tests.
  async function start(definitions: JobDefinition[], pollMs = 60_000): Promise<Jobs> {
    const jobs = createJobs(jobContext(db), { pollMs, definitions });
    await jobs.start();
    started.push(jobs);
    return jobs;
  }
  const rows = (name: string) => db.sequelize.query<Row>('SELECT * FROM agenda_jobs WHERE name = ? ORDER BY id', { replacements: [name], type: 'SELECT' as never }) as unknown as Promise<Row[]>;

  it('writes the job claimed, runs it once after commit, and records it finished', async () => {
    const runs: number[] = [];
    const job = defineJob({ name: 't.local', payload: z.object({ n: z.number() }), async handler(_ctx, { n }) { runs.push(n); } });
    const jobs = await start([job]);
    await db.unitOfWork(async (t) => {
      await jobs.scheduleInTransaction(t, job, { n: 1 });
      // The transaction's jobs are written just before it commits: look right after that.
      beforeCommit(t, async () => {
        const [row] = await db.sequelize.query<Row>('SELECT * FROM agenda_jobs WHERE name = ?', { replacements: ['t.local'], type: 'SELECT' as never, transaction: t }) as unknown as Row[];
        expect(row!.locked_at).not.toBeNull(); // claimed by this process: no poller takes it
      });
    });
    await until(async () => (await rows('t.local'))[0]?.last_finished_at != null);
    expect(runs).toEqual([1]);
    const [row] = await rows('t.local');
    expect(row).toMatchObject({ locked_at: null, next_run_at: null });
  });

  it('hands a failed run to the pollers with the job’s backoff, which then complete it', async () => {
    let attempts = 0;
    const flaky = defineJob({
      name: 't.local-flaky',
      payload: z.object({ n: z.number() }),
      options: { retryDelay: () => 100 },
      async handler() {
        if (++attempts === 1) throw new Error('first attempt fails');
      },
    });
    const jobs = await start([flaky], 50);
    await db.unitOfWork((t) => jobs.scheduleInTransaction(t, flaky, { n: 1 }));
    await until(() => attempts === 2);
    await until(async () => (await jobs.agenda.queryJobs({ name: 't.local-flaky' })).jobs[0]?.state === 'completed');
    expect(attempts).toBe(2);
  });

  it('writes all the jobs of a transaction in one INSERT, the due ones claimed and the later ones for the pollers', async () => {
    const runs: number[] = [];
    const job = defineJob({ name: 't.local-batch', payload: z.object({ n: z.number() }), async handler(_ctx, { n }) { runs.push(n); } });
    const jobs = await start([job]);
    const { statements: inserts } = await statementsDuring(db.sequelize, 'INSERT INTO agenda_jobs', () =>
      db.unitOfWork(async (t) => {
        for (let n = 1; n <= 3; n++) await jobs.scheduleInTransaction(t, job, { n });
        await jobs.scheduleInTransaction(t, job, { n: 4 }, { runAt: new Date(Date.now() + 3_600_000) });
      }),
    );
    expect(inserts).toHaveLength(1);
    await until(() => runs.length === 3);
    const stored = await rows('t.local-batch');
    expect(stored.map((r) => JSON.parse(String(r.data)).n)).toEqual([1, 2, 3, 4]);
    expect(new Set(stored.map((r) => Number(r.id))).size).toBe(4);
    const later = stored.find((r) => JSON.parse(String(r.data)).n === 4)!;
    expect(later).toMatchObject({ locked_at: null, last_run_at: null });
    expect(runs.sort()).toEqual([1, 2, 3]);
  });

  it('while the process is congested, runs work of priority 0 one job at a time and deliveries as usual', async () => {
    let congested = true;
    const peak = { low: 0, high: 0 };
    const now = { low: 0, high: 0 };
    const done = { low: 0, high: 0 };
    const kind = (name: string, priority: number, which: 'low' | 'high') =>
      defineJob({
        name,
        payload: z.object({ n: z.number() }),
        options: { concurrency: 5, priority },
        async handler() {
          peak[which] = Math.max(peak[which], ++now[which]);
          await new Promise((ok) => setTimeout(ok, 30));
          now[which]--;
          done[which]++;
        },
      });
    const low = kind('t.local-low', 0, 'low');
    const high = kind('t.local-high', 10, 'high');
    const jobs = createJobs(jobContext(db), { pollMs: 60_000, definitions: [low, high], congested: () => congested });
    await jobs.start();
    started.push(jobs);
    await db.unitOfWork(async (t) => {
      for (let n = 0; n < 4; n++) await jobs.scheduleInTransaction(t, low, { n });
      for (let n = 0; n < 4; n++) await jobs.scheduleInTransaction(t, high, { n });
    });
    await until(() => done.high === 4);
    expect(peak.high).toBe(4);
    expect(peak.low).toBe(1);
    // Once callers no longer wait, what was held back runs side by side.
    await until(() => done.low >= 1);
    congested = false;
    await until(() => done.low === 4);
    expect(peak.low).toBeGreaterThan(1);
  });

  it('holds the limits for jobs that waited long enough to renew their claim first', async () => {
    let now = 0;
    let peak = 0;
    let done = 0;
    const slow = defineJob({
      name: 't.local-renewing',
      payload: z.object({ n: z.number() }),
      options: { concurrency: 5, lockLifetime: 200 },
      async handler() {
        peak = Math.max(peak, ++now);
        await new Promise((ok) => setTimeout(ok, 120));
        now--;
        done++;
      },
    });
    // Congested all along: one job of priority 0 at a time; every one after the first has
    // waited past half its lock lifetime, so it renews its claim before it runs.
    const jobs = createJobs(jobContext(db), { pollMs: 60_000, definitions: [slow], congested: () => true });
    await jobs.start();
    started.push(jobs);
    await db.unitOfWork(async (t) => {
      for (let n = 0; n < 4; n++) await jobs.scheduleInTransaction(t, slow, { n });
    });
    await until(() => done === 4);
    expect(peak).toBe(1);
  });

  it('runs no more at once than the job’s concurrency', async () => {
    let now = 0;
    let peak = 0;
    let done = 0;
    const job = defineJob({
      name: 't.local-concurrency',
      payload: z.object({ n: z.number() }),
      options: { concurrency: 2 },
      async handler() {
        peak = Math.max(peak, ++now);
        await new Promise((ok) => setTimeout(ok, 30));
        now--;
        done++;
      },
    });
    const jobs = await start([job]);
    await db.unitOfWork(async (t) => {
      for (let n = 0; n < 8; n++) await jobs.scheduleInTransaction(t, job, { n });
    });
    await until(() => done === 8);
    expect(peak).toBe(2);
  });

  it('on stop hands back the claims of jobs not started, which another worker then runs', async () => {
    let finish!: () => void;
    const gate = new Promise<void>((ok) => (finish = ok));
    const ran: number[] = [];
    const slow = defineJob({
      name: 't.local-slow',
      payload: z.object({ n: z.number() }),
      options: { concurrency: 1 },
      async handler(_ctx, { n }) {
        ran.push(n);
        await gate;
      },
    });
    const jobs = await start([slow]);
    await db.unitOfWork(async (t) => {
      for (let n = 0; n < 3; n++) await jobs.scheduleInTransaction(t, slow, { n });
    });
    await until(() => ran.length === 1);
    const stopping = jobs.stop(5000);
    await until(async () => (await rows('t.local-slow')).filter((r) => r.locked_at === null).length === 2);
    finish();
    await stopping;
    started.splice(started.indexOf(jobs), 1);
    expect(ran).toEqual([0]);

    await start([slow], 50);
    await until(() => ran.length === 3);
    expect(ran.sort()).toEqual([0, 1, 2]);
  });

  it('leaves to the pollers a job scheduled for later, and one scheduled while not started', async () => {
    const runs: number[] = [];
    const job = defineJob({ name: 't.local-later', payload: z.object({ n: z.number() }), async handler(_ctx, { n }) { runs.push(n); } });
    const idle = createJobs(jobContext(db), { pollMs: 60_000, definitions: [job] }); // not started
    await db.unitOfWork((t) => idle.scheduleInTransaction(t, job, { n: 1 }));
    expect((await rows('t.local-later'))[0]!.locked_at).toBeNull();
    const jobs = await start([job], 50);
    await db.unitOfWork((t) => jobs.scheduleInTransaction(t, job, { n: 2 }, { runAt: new Date(Date.now() + 1500) }));
    expect((await rows('t.local-later'))[1]!.locked_at).toBeNull();
    await until(() => runs.length === 2);
    expect(runs).toEqual([1, 2]);
  });
});
