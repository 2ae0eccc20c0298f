import { DataTypes, QueryTypes } from 'sequelize';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createJobs } from '../../src/jobs/agenda.ts';
import { countRun, slowRun } from '../support/job-definitions-for-workers.ts';
import { spawnScript, type SpawnedProcess } from '../support/spawn-helpnet.ts';
import { jobContext } from '../support/job-context.ts';
import { openTestDatabase, TEST_ENGINE } from '../support/test-database.ts';

const until = async (check: () => Promise<boolean>, timeoutMs: number, what: string) => {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((ok) => setTimeout(ok, 50));
  }
};

describe(`jobs across worker processes on ${TEST_ENGINE}`, () => {
  let handle: Awaited<ReturnType<typeof openTestDatabase>>;
  const workers: SpawnedProcess[] = [];

  beforeAll(async () => {
    handle = await openTestDatabase();
    await handle.db.sequelize.getQueryInterface().createTable('job_runs', {
      id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
      job_n: { type: DataTypes.INTEGER, allowNull: false },
      phase: { type: DataTypes.STRING(16), allowNull: false },
      pid: { type: DataTypes.INTEGER, allowNull: false },
    });
  });
  beforeEach(async () => {
    await handle.db.sequelize.query('DELETE FROM job_runs');
    await handle.db.sequelize.query('DELETE FROM agenda_jobs');
  });
  afterEach(async () => {
    // A test that failed half-way must not leave workers running into the next one.
    for (const w of workers.splice(0)) {
      if (w.child.exitCode === null) {
        w.child.kill('SIGKILL');
        await w.exited;
      }
    }
  });
  afterAll(async () => {
    await handle.close();
  });

  const startWorker = async (env: Record<string, string> = {}) => {
    const w = spawnScript('test/support/job-worker.ts', { DATABASE_URL: handle.database.url, ...env });
    workers.push(w);
    await w.waitFor(/"ready":true/);
    return w;
  };
  const runs = (phase: string) =>
    handle.db.sequelize.query<{ job_n: number; pid: number }>('SELECT job_n, pid FROM job_runs WHERE phase = ? ORDER BY id', { replacements: [phase], type: QueryTypes.SELECT });
  // Schedules through the app's own API, from a process that does not run jobs.
  const scheduler = () => createJobs(jobContext(handle.db), { pollMs: 60_000, definitions: [countRun, slowRun] });

  it('two workers run 500 jobs, each exactly once', async () => {
    // Both workers are polling before the jobs exist, so both get a share.
    const [a, b] = await Promise.all([startWorker(), startWorker()]);
    const jobs = scheduler();
    await handle.db.unitOfWork(async (t) => {
      for (let n = 0; n < 500; n++) await jobs.scheduleInTransaction(t, countRun, { n });
    });
    await until(async () => (await runs('ran')).length >= 500, 60_000, '500 runs');
    await new Promise((ok) => setTimeout(ok, 500)); // any duplicate would show up now
    const ran = await runs('ran');
    expect(ran).toHaveLength(500);
    expect(new Set(ran.map((r) => r.job_n)).size).toBe(500);
    const pids = new Set(ran.map((r) => r.pid));
    if (TEST_ENGINE === 'mysql') {
      // Both took a share of the work. SQLite promises no such fairness: its busy handler
      // sleeps and retries, so one process that keeps re-taking the write lock can do it all.
      expect(pids).toEqual(new Set([a!.child.pid, b!.child.pid]));
    } else {
      expect([...pids].every((pid) => pid === a!.child.pid || pid === b!.child.pid)).toBe(true);
    }
    a!.child.kill('SIGTERM');
    b!.child.kill('SIGTERM');
    expect(await a!.exited).toBe(0);
    expect(await b!.exited).toBe(0);
  });

  it('a job whose worker was killed mid-run runs again after its lock expires, and completes once', async () => {
    const env = { SLOW_JOB_MS: '1000', SLOW_JOB_LOCK_MS: '2000' };
    const jobs = scheduler();
    await handle.db.unitOfWork((t) => jobs.scheduleInTransaction(t, slowRun, { n: 1 }));
    const a = await startWorker(env);
    await until(async () => (await runs('started')).length === 1, 10_000, 'the first start');
    a.child.kill('SIGKILL');
    await a.exited;
    const killedAt = Date.now();

    const b = await startWorker(env);
    await until(async () => (await runs('finished')).length === 1, 15_000, 'the job to finish');
    expect(Date.now() - killedAt).toBeGreaterThanOrEqual(900); // not before A's claim ran out
    await new Promise((ok) => setTimeout(ok, 2500)); // longer than a lock lifetime: no further run
    expect((await runs('started')).map((r) => r.pid)).toEqual([a.child.pid, b.child.pid]);
    expect((await runs('finished')).map((r) => r.pid)).toEqual([b.child.pid]);
    b.child.kill('SIGTERM');
    expect(await b.exited).toBe(0);
  });

  it('a job that runs longer than its claim keeps it while its worker lives: another worker never starts it too', async () => {
    const env = { SLOW_JOB_MS: '3000', SLOW_JOB_LOCK_MS: '900' };
    const a = await startWorker(env);
    const b = await startWorker(env);
    const jobs = scheduler();
    await handle.db.unitOfWork((t) => jobs.scheduleInTransaction(t, slowRun, { n: 2 }));
    await until(async () => (await runs('finished')).some((r) => Number(r.job_n) === 2), 15_000, 'the job to finish');
    await new Promise((ok) => setTimeout(ok, 1500)); // longer than a claim: no second start
    const started = (await runs('started')).filter((r) => Number(r.job_n) === 2);
    expect(started).toHaveLength(1);
    expect((await runs('finished')).filter((r) => Number(r.job_n) === 2).map((r) => r.pid)).toEqual(started.map((r) => r.pid));
    for (const w of [a, b]) w.child.kill('SIGTERM');
    expect(await a.exited).toBe(0);
    expect(await b.exited).toBe(0);
  });
});
