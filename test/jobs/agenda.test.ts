import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Database } from '../../src/db/database.ts';
import { createJobs, type Jobs } from '../../src/jobs/agenda.ts';
import { defineJob, type JobDefinition } from '../../src/jobs/define-job.ts';
import { jobContext } from '../support/job-context.ts';
import { openTestDatabase, TEST_ENGINE } from '../support/test-database.ts';

const until = async (check: () => boolean | Promise<boolean>, timeoutMs = 10_000) => {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((ok) => setTimeout(ok, 20));
  }
};

describe(`Agenda on our Sequelize backend (${TEST_ENGINE})`, () => {
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

  async function start(definitions: JobDefinition[], pollMs = 50, name?: string): Promise<Jobs> {
    const jobs = createJobs(jobContext(db), { pollMs, definitions, workerName: name });
    await jobs.start();
    started.push(jobs);
    return jobs;
  }

  const recorder = (name: string, opts: JobDefinition['options'] = {}, work?: (p: { n: number }) => Promise<void>) => {
    const runs: number[] = [];
    const definition = defineJob({
      name,
      payload: z.object({ n: z.number() }),
      options: opts,
      async handler(_ctx, payload) {
        await work?.(payload);
        runs.push(payload.n);
      },
    });
    return { definition, runs };
  };

  it('runs a job now, and one scheduled for later no earlier than its time', async () => {
    const { definition, runs } = recorder('t.now');
    const jobs = await start([definition]);
    await jobs.schedule(definition, { n: 1 });
    const at = new Date(Date.now() + 400);
    await jobs.schedule(definition, { n: 2 }, { runAt: at });
    await until(() => runs.length === 2);
    expect(runs).toEqual([1, 2]);
    expect(Date.now()).toBeGreaterThanOrEqual(at.getTime());
  });

  it('validates payloads when scheduling, and refuses a job that is not registered', async () => {
    const { definition } = recorder('t.validate');
    const jobs = await start([definition]);
    await expect(jobs.schedule(definition, { n: 'one' } as never)).rejects.toThrow();
    await expect(jobs.schedule(recorder('t.unregistered').definition, { n: 1 })).rejects.toThrow(/not registered/);
  });

  it('keeps a single row for every(), however often it is declared', async () => {
    const { definition, runs } = recorder('t.every');
    const jobs = await start([definition]);
    await jobs.agenda.every(200, 't.every', { n: 1 });
    await jobs.agenda.every(200, 't.every', { n: 1 });
    await until(() => runs.length >= 2);
    expect((await jobs.agenda.queryJobs({ name: 't.every' })).total).toBe(1);
  });

  it('runs higher priority first when several are due', async () => {
    const { definition, runs } = recorder('t.priority', { concurrency: 1 });
    const jobs = createJobs(jobContext(db), { pollMs: 50, definitions: [definition] });
    const past = new Date(Date.now() - 1000);
    for (const [n, p] of [[1, 0], [2, 10], [3, -10], [4, 20]] as const) {
      await jobs.agenda.create('t.priority', { n }).schedule(past).priority(p).save();
    }
    await jobs.start();
    started.push(jobs);
    await until(() => runs.length === 4);
    expect(runs).toEqual([4, 2, 1, 3]);
  });

  it('respects a job concurrency limit', async () => {
    let now = 0;
    let peak = 0;
    const { definition, runs } = recorder('t.concurrency', { concurrency: 2 }, async () => {
      peak = Math.max(peak, ++now);
      await new Promise((ok) => setTimeout(ok, 50));
      now--;
    });
    const jobs = await start([definition]);
    for (let n = 0; n < 8; n++) await jobs.schedule(definition, { n });
    await until(() => runs.length === 8);
    expect(peak).toBe(2);
  });

  it('holds a job concurrency limit across jobs it polled and jobs this process wrote', async () => {
    let now = 0;
    let peak = 0;
    const { definition, runs } = recorder('t.shared-concurrency', { concurrency: 2 }, async () => {
      peak = Math.max(peak, ++now);
      await new Promise((ok) => setTimeout(ok, 100));
      now--;
    });
    const jobs = await start([definition], 20);
    // Saved rows, which Agenda's poller claims, and jobs written in a transaction, which the local runner runs.
    for (let n = 0; n < 6; n++) await jobs.schedule(definition, { n });
    await db.unitOfWork(async (t) => {
      for (let n = 6; n < 12; n++) await jobs.scheduleInTransaction(t, definition, { n });
    });
    await until(() => runs.length === 12);
    expect(peak).toBe(2);
  });

  it('hands back a job it polled that found no free slot for half its lock lifetime, and runs it once later', async () => {
    const runs: string[] = [];
    let congested = true;
    const long = defineJob({ name: 't.holding', payload: z.object({ n: z.number() }), async handler() {
      runs.push('long start');
      await new Promise((ok) => setTimeout(ok, 700));
      runs.push('long end');
    } });
    const waiting = defineJob({ name: 't.waiting', payload: z.object({ n: z.number() }), options: { lockLifetime: 400 }, async handler() {
      runs.push('waiting');
    } });
    const jobs = createJobs(jobContext(db), { pollMs: 50, definitions: [long, waiting], congested: () => congested });
    await jobs.start();
    started.push(jobs);
    // While congested only one job of priority 0 runs: the polled one waits for it, then gives up its turn.
    await db.unitOfWork((t) => jobs.scheduleInTransaction(t, long, { n: 1 }));
    await until(() => runs.length > 0);
    await jobs.schedule(waiting, { n: 2 });
    await until(() => runs.includes('long end'));
    congested = false;
    await until(() => runs.includes('waiting'), 5000);
    await new Promise((ok) => setTimeout(ok, 300));
    expect(runs).toEqual(['long start', 'long end', 'waiting']);
  });

  it('disables, enables and cancels jobs, and answers queue queries', async () => {
    const { definition, runs } = recorder('t.manage');
    const jobs = createJobs(jobContext(db), { pollMs: 50, definitions: [definition] });
    await jobs.agenda.schedule(new Date(Date.now() - 10), 't.manage', { n: 1 });
    await jobs.agenda.schedule(new Date(Date.now() - 10), 't.manage', { n: 2 });
    await jobs.agenda.schedule(new Date(Date.now() + 3_600_000), 't.manage', { n: 3 });
    expect((await jobs.agenda.queryJobs({ name: 't.manage', state: 'queued' })).total).toBe(2);
    expect((await jobs.agenda.queryJobs({ name: 't.manage', state: 'scheduled' })).total).toBe(1);
    expect(await jobs.agenda.disable({ name: 't.manage', data: { n: 1 } })).toBe(1);
    expect(await jobs.agenda.cancel({ name: 't.manage', data: { n: 3 } })).toBe(1);
    await jobs.start();
    started.push(jobs);
    await until(() => runs.length === 1);
    await new Promise((ok) => setTimeout(ok, 200));
    expect(runs).toEqual([2]);
    expect(await jobs.agenda.enable({ name: 't.manage' })).toBeGreaterThanOrEqual(1);
    await until(() => runs.length === 2);
    expect(runs).toEqual([2, 1]);
  });

  it('retries a failing job with backoff, and gives up on a payload that can never be valid', async () => {
    let attempts = 0;
    const flaky = defineJob({
      name: 't.flaky',
      payload: z.object({ n: z.number() }),
      options: { retryDelay: (attempt) => (attempt <= 3 ? 50 : null) },
      async handler() {
        attempts++;
        if (attempts < 3) throw new Error(`attempt ${attempts} failed`);
      },
    });
    const jobs = await start([flaky]);
    await jobs.schedule(flaky, { n: 1 });
    await until(() => attempts === 3);
    await until(async () => (await jobs.agenda.queryJobs({ name: 't.flaky' })).jobs[0]?.state === 'completed');

    await jobs.agenda.now('t.flaky', { n: 'bad' });
    await until(async () => (await jobs.agenda.queryJobs({ name: 't.flaky', state: 'failed' })).total === 1);
    const [failed] = (await jobs.agenda.queryJobs({ name: 't.flaky', state: 'failed' })).jobs;
    expect(failed!.failReason).toMatch(/t.flaky: invalid payload: n: /);
    expect(failed!.nextRunAt).toBeNull();
    expect(attempts).toBe(3);
  });

  it('schedules inside a transaction: rolled back it never exists, committed it runs', async () => {
    const { definition, runs } = recorder('t.tx');
    const jobs = await start([definition], 60_000); // no polling: only the commit's nudge can start it
    await expect(
      db.unitOfWork(async (t) => {
        await jobs.scheduleInTransaction(t, definition, { n: 1 });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect((await jobs.agenda.queryJobs({ name: 't.tx' })).total).toBe(0);

    await db.unitOfWork(async (t) => {
      await jobs.scheduleInTransaction(t, definition, { n: 2 });
      // Not visible, not run, before commit.
      await new Promise((ok) => setTimeout(ok, 100));
      expect(runs).toEqual([]);
    });
    await until(() => runs.length === 1, 3000);
    expect(runs).toEqual([2]);
  });

  it('replaces a unique job scheduled again in a transaction', async () => {
    const { definition, runs } = recorder('t.unique');
    const jobs = await start([definition]);
    const later = new Date(Date.now() + 300);
    await db.unitOfWork(async (t) => {
      await jobs.scheduleInTransaction(t, definition, { n: 1 }, { runAt: later, unique: { 'data.n': 1 } });
      await jobs.scheduleInTransaction(t, definition, { n: 1 }, { runAt: later, unique: { 'data.n': 1 } });
    });
    expect((await jobs.agenda.queryJobs({ name: 't.unique' })).total).toBe(1);
    await until(() => runs.length === 1);
  });

  it('stopping hands back claimed jobs that have not started, but keeps the claim of one still running', async () => {
    let startedRuns = 0;
    let finish!: () => void;
    const gate = new Promise<void>((ok) => (finish = ok));
    const slow = defineJob({
      name: 't.slow',
      payload: z.object({ n: z.number() }),
      options: { concurrency: 1 },
      async handler() {
        startedRuns++;
        await gate;
      },
    });
    const jobs = createJobs(jobContext(db), { pollMs: 50, definitions: [slow] });
    for (let n = 0; n < 3; n++) await jobs.agenda.schedule(new Date(Date.now() - 100), 't.slow', { n });
    await jobs.start();
    await until(() => startedRuns === 1);
    await until(async () => (await jobs.agenda.queryJobs({ name: 't.slow' })).jobs.filter((j) => j.lockedAt).length === 3);
    await jobs.stop(100);
    expect(jobs.processing()).toBe(false);
    const rows = (await jobs.agenda.queryJobs({ name: 't.slow' })).jobs;
    const running = rows.filter((j) => j.lockedAt);
    expect(running).toHaveLength(1);
    expect(running[0]!.nextRunAt).toBeNull(); // the one running
    expect(rows.filter((j) => !j.lockedAt && j.nextRunAt)).toHaveLength(2); // handed back, still due
    finish();
    await until(async () => (await jobs.agenda.queryJobs({ name: 't.slow' })).jobs.every((j) => !j.lockedAt));
    expect(startedRuns).toBe(1);
  });

  it('two Agenda instances in one process never run a job twice', async () => {
    const seen = new Map<number, number>();
    const count = defineJob({
      name: 't.twice',
      payload: z.object({ n: z.number() }),
      async handler(_ctx, { n }) {
        seen.set(n, (seen.get(n) ?? 0) + 1);
        await new Promise((ok) => setTimeout(ok, Math.random() * 5));
      },
    });
    const a = await start([count], 30, 'worker-a');
    await start([count], 30, 'worker-b');
    for (let n = 0; n < 150; n++) await a.schedule(count, { n });
    await until(() => seen.size === 150, 20_000);
    await new Promise((ok) => setTimeout(ok, 300));
    expect([...seen.values()].every((v) => v === 1)).toBe(true);
    const workers = (await a.agenda.queryJobs({ name: 't.twice' })).jobs.map((j) => j.lastModifiedBy);
    expect(new Set(workers)).toEqual(new Set(['worker-a', 'worker-b']));
  });
});
