import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purgeFinishedJobs } from '../../src/jobs/definitions/purge-finished-jobs.ts';
import { SequelizeJobRepository } from '../../src/jobs/sequelize-backend/index.ts';
import { jobContext } from '../support/job-context.ts';
import { openTestDatabase, TEST_ENGINE } from '../support/test-database.ts';

describe(`jobs.purge-finished on ${TEST_ENGINE}`, () => {
  let handle: Awaited<ReturnType<typeof openTestDatabase>>;
  beforeAll(async () => {
    handle = await openTestDatabase();
  });
  afterAll(async () => {
    await handle.close();
  });

  it('deletes one-off jobs finished long ago, and keeps recent, pending, running and repeating ones', async () => {
    const repo = new SequelizeJobRepository(handle.db.sequelize);
    const day = 24 * 60 * 60 * 1000;
    const make = async (name: string, over: object) => {
      const saved = await repo.saveJob({ name, priority: 0, nextRunAt: new Date(), type: 'normal', data: {} }, undefined);
      await repo.saveJobState({ ...saved, ...over }, undefined);
    };
    await make('old-done', { nextRunAt: null, lastFinishedAt: new Date(Date.now() - 8 * day) });
    await make('old-failed', { nextRunAt: null, failedAt: new Date(Date.now() - 9 * day) });
    const givenUp = new Date(Date.now() - 30 * day);
    await make('dead-letter', { nextRunAt: null, failedAt: givenUp, lastFinishedAt: givenUp, failCount: 10 });
    await make('recent-done', { nextRunAt: null, lastFinishedAt: new Date(Date.now() - day) });
    await make('pending', { nextRunAt: new Date(Date.now() + day) });
    await make('running', { nextRunAt: null, lockedAt: new Date(), lastFinishedAt: new Date(Date.now() - 8 * day) });
    await repo.saveJob({ name: 'repeating', priority: 0, nextRunAt: new Date(Date.now() - 8 * day), type: 'single', repeatInterval: '1 hour', data: {} }, undefined);

    await purgeFinishedJobs.handler(jobContext(handle.db), { keepDays: 7 }, undefined as never);
    expect(await repo.getDistinctJobNames()).toEqual(['dead-letter', 'pending', 'recent-done', 'repeating', 'running']);
  });
});
