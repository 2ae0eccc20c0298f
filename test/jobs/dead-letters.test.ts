import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createJobs, type Jobs } from '../../src/jobs/agenda.ts';
import { defineJob } from '../../src/jobs/define-job.ts';
import { listDeadLetters } from '../../src/jobs/sequelize-backend/dead-letters.ts';
import { jobContext } from '../support/job-context.ts';
import { spawnScript } from '../support/spawn-helpnet.ts';
import { openTestDatabase, TEST_ENGINE } from '../support/test-database.ts';
import { waitFor } from '../support/wait-for.ts';

describe(`dead letters: jobs given up for good, on ${TEST_ENGINE}`, () => {
  let handle: Awaited<ReturnType<typeof openTestDatabase>>;
  let jobs: Jobs;
  const given: { name: string; failCount: number; message: string }[] = [];
  let healed = false;
  const ran: number[] = [];
  // Fails (as bad data would) until healed; its policy gives up after three tries.
  const poison = defineJob({
    name: 't.poison',
    payload: z.object({ n: z.number() }),
    options: { retryDelay: (attempt) => (attempt >= 3 ? null : 20) },
    async handler(_ctx, { n }) {
      if (!healed) throw new TypeError(`cannot read property of undefined (${n})`);
      ran.push(n);
    },
  });
  const behind = defineJob({
    name: 't.behind',
    payload: z.object({ n: z.number() }),
    async handler(_ctx, { n }) {
      ran.push(n);
    },
  });

  beforeAll(async () => {
    handle = await openTestDatabase();
    jobs = createJobs(jobContext(handle.db), {
      pollMs: 50,
      definitions: [poison, behind],
      onDeadLetter: (l) => given.push({ name: l.name, failCount: l.failCount, message: l.error.message }),
    });
    await jobs.start();
  });
  afterAll(async () => {
    await jobs.stop(1000);
    await handle.close();
  });

  const cli = async (...args: string[]) => {
    const proc = spawnScript('src/cli/helpnet.ts', { DATABASE_URL: handle.database.url }, args);
    const code = await proc.exited;
    return { code, out: proc.stdout(), err: proc.stderr() };
  };

  it('keeps a job given up as a dead letter, reports it once, and lets the jobs behind it run', async () => {
    await handle.db.unitOfWork(async (t) => {
      await jobs.scheduleInTransaction(t, poison, { n: 1 });
      await jobs.scheduleInTransaction(t, behind, { n: 2 });
    });
    await waitFor(async () => (await listDeadLetters(handle.db.sequelize)).length === 1, 'the dead letter');
    expect(ran).toEqual([2]);
    const [letter] = await listDeadLetters(handle.db.sequelize);
    expect(letter).toMatchObject({ name: 't.poison', data: { n: 1 }, failCount: 3, failReason: 'cannot read property of undefined (1)' });
    expect(given).toEqual([{ name: 't.poison', failCount: 3, message: 'cannot read property of undefined (1)' }]);
  });

  it('lists dead letters with `jobs failed` and runs one again with `jobs retry ID`', async () => {
    const [letter] = await listDeadLetters(handle.db.sequelize);
    const failed = await cli('jobs', 'failed');
    expect(failed.code).toBe(0);
    expect(failed.out).toContain('1 failed job(s)');
    expect(failed.out).toMatch(new RegExp(`^${letter!.id}\\tt\\.poison\\t3 tries\\t.*cannot read property of undefined \\(1\\)\\t\\{"n":1\\}$`, 'm'));

    expect((await cli('jobs', 'retry', '999999')).code).toBe(1);
    healed = true;
    const retried = await cli('jobs', 'retry', letter!.id);
    expect(retried.code).toBe(0);
    await waitFor(() => ran.includes(1), 'the retried job to run');
    expect(await listDeadLetters(handle.db.sequelize)).toEqual([]);
    expect((await cli('jobs', 'failed')).out).toContain('No failed jobs');
    // Retrying is for dead letters only: a job that finished is not run again.
    expect((await cli('jobs', 'retry', letter!.id)).code).toBe(1);
  }, 90_000); // two operator commands, each its own process: slow to start on a loaded machine
});
