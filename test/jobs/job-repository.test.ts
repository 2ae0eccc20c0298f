import { toJobId, type JobParameters } from 'agenda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { SequelizeJobRepository } from '../../src/jobs/sequelize-backend/index.ts';
import { openTestDatabase, TEST_ENGINE } from '../support/test-database.ts';

/** Every JobRepository method, against the real engine. */
describe(`SequelizeJobRepository on ${TEST_ENGINE}`, () => {
  let handle: Awaited<ReturnType<typeof openTestDatabase>>;
  let db: Database;
  let repo: SequelizeJobRepository;
  beforeAll(async () => {
    handle = await openTestDatabase();
    db = handle.db;
    repo = new SequelizeJobRepository(db.sequelize);
    await repo.connect();
  });
  afterAll(async () => {
    await handle.close();
  });
  beforeEach(async () => {
    await repo.purgeAllJobs();
  });

  const job = (over: Partial<JobParameters> = {}): JobParameters => ({ name: 'test-job', priority: 0, nextRunAt: new Date(Date.now() - 1000), type: 'normal', data: {}, ...over });
  const save = (over: Partial<JobParameters> = {}) => repo.saveJob(job(over), undefined);
  const inSeconds = (s: number) => new Date(Date.now() + s * 1000);

  describe('saveJob', () => {
    it('inserts a job, giving it an id, and keeps its data, dates and flags', async () => {
      const when = new Date(Date.UTC(2030, 0, 2, 3, 4, 5, 678));
      const saved = await save({ data: { ticketId: 12, note: 'ünïcödé ✓' }, nextRunAt: when, priority: 10, repeatInterval: '5 minutes', repeatTimezone: 'Europe/Berlin', skipDays: [0, 6] });
      expect(saved._id).toMatch(/^\d+$/);
      const loaded = await repo.getJobById(saved._id!);
      expect(loaded).toMatchObject({ name: 'test-job', priority: 10, type: 'normal', data: { ticketId: 12, note: 'ünïcödé ✓' }, repeatInterval: '5 minutes', repeatTimezone: 'Europe/Berlin', skipDays: [0, 6], disabled: false });
      expect(loaded!.nextRunAt!.getTime()).toBe(when.getTime());
    });

    it('updates a job that has an id, and returns a removed job unchanged', async () => {
      const saved = await save();
      const updated = await repo.saveJob({ ...saved, data: { v: 2 }, priority: 5 }, { lastModifiedBy: 'worker-a' });
      expect(updated).toMatchObject({ _id: saved._id, data: { v: 2 }, priority: 5, lastModifiedBy: 'worker-a' });
      await repo.removeJobs({ id: saved._id });
      const ghost = { ...saved, data: { v: 3 } };
      expect(await repo.saveJob(ghost, undefined)).toBe(ghost);
      expect(await repo.getJobById(saved._id!)).toBeNull();
    });

    it('keeps one row per name for single jobs, and does not postpone a due run', async () => {
      const due = new Date(Date.now() - 5000);
      const first = await save({ type: 'single', name: 'every-job', nextRunAt: due, repeatInterval: '1 hour' });
      const second = await save({ type: 'single', name: 'every-job', nextRunAt: new Date(), repeatInterval: '2 hours' });
      expect(second._id).toBe(first._id);
      expect(second.repeatInterval).toBe('2 hours');
      expect(second.nextRunAt!.getTime()).toBe(due.getTime());
      const later = inSeconds(3600);
      expect((await save({ type: 'single', name: 'every-job', nextRunAt: later })).nextRunAt!.getTime()).toBe(later.getTime());
      expect((await repo.queryJobs({ name: 'every-job' })).total).toBe(1);
    });

    it('upserts unique jobs by data path, and insertOnly leaves the first alone', async () => {
      const a = await save({ data: { ticketId: 7, tier: 1 }, unique: { 'data.ticketId': 7 } });
      const b = await save({ data: { ticketId: 7, tier: 2 }, unique: { 'data.ticketId': 7 } });
      expect(b._id).toBe(a._id);
      expect(b.data).toEqual({ ticketId: 7, tier: 2 });
      const c = await save({ data: { ticketId: 8 }, unique: { 'data.ticketId': 8 } });
      expect(c._id).not.toBe(a._id);
      const d = await save({ data: { ticketId: 7, tier: 3 }, unique: { 'data.ticketId': 7 }, uniqueOpts: { insertOnly: true } });
      expect(d).toMatchObject({ _id: a._id, data: { ticketId: 7, tier: 2 } });
      await expect(save({ unique: { 'data.x;DROP': 1 } })).rejects.toThrow(/Invalid unique constraint field/);
      await expect(save({ unique: { lockedAt: 1 } })).rejects.toThrow(/Invalid unique constraint field/);
    });

    it('debounces: trailing pushes the run back, maxWait forces it, leading keeps the first time', async () => {
      const trailing = { unique: { 'data.key': 'k' }, uniqueOpts: { debounce: { delay: 2000 } } };
      const first = await save({ data: { key: 'k' }, ...trailing });
      expect(first.nextRunAt!.getTime()).toBeGreaterThan(Date.now() + 1500);
      expect(first.debounceStartedAt).toBeInstanceOf(Date);
      const second = await save({ data: { key: 'k', n: 2 }, ...trailing });
      expect(second._id).toBe(first._id);
      expect(second.nextRunAt!.getTime()).toBeGreaterThanOrEqual(first.nextRunAt!.getTime());

      const forced = await save({ data: { key: 'k' }, unique: { 'data.key': 'k' }, uniqueOpts: { debounce: { delay: 2000, maxWait: 1 } } });
      expect(forced.nextRunAt!.getTime()).toBeLessThanOrEqual(Date.now());

      const leadingOpts = { unique: { 'data.key': 'lead' }, uniqueOpts: { debounce: { delay: 2000, strategy: 'leading' as const } } };
      const lead = await save({ data: { key: 'lead' }, ...leadingOpts });
      const lead2 = await save({ data: { key: 'lead', n: 2 }, nextRunAt: inSeconds(60), ...leadingOpts });
      expect(lead2.nextRunAt!.getTime()).toBe(lead.nextRunAt!.getTime());
      expect(lead2.data).toEqual({ key: 'lead', n: 2 });
    });

    it('never reschedules a unique job under way: a new one waits beside it, and later saves update that one', async () => {
      const opts = { unique: { 'data.viewer': 'U1' }, uniqueOpts: { debounce: { delay: 50 } } };
      const first = await save({ data: { viewer: 'U1' }, ...opts });
      await new Promise((ok) => setTimeout(ok, 80));
      const claimed = await repo.getNextJobToRun('test-job', new Date(), new Date(Date.now() - 60_000), new Date(), undefined);
      expect(claimed?._id).toBe(first._id);
      const queued = await save({ data: { viewer: 'U1', n: 2 }, ...opts });
      expect(queued._id).not.toBe(first._id);
      // The run under way ends as it would: its end does not touch the queued one.
      await repo.finishClaimed({ ...claimed!, nextRunAt: null, lastRunAt: new Date(), lastFinishedAt: new Date() }, claimed!.lockedAt!.getTime());
      const again = await save({ data: { viewer: 'U1', n: 3 }, ...opts });
      expect(again._id).toBe(queued._id);
      expect((await repo.getJobById(queued._id!))?.nextRunAt).toBeInstanceOf(Date);
      expect((await repo.getJobById(first._id!))?.nextRunAt).toBeNull();
      // Once nothing waits, the finished one is reused rather than a third row added.
      await repo.removeJobs({ id: queued._id });
      expect((await save({ data: { viewer: 'U1' }, ...opts }))._id).toBe(first._id);
    });
  });

  describe('claiming', () => {
    it('getNextJobToRun claims the most urgent due job: earliest first, then highest priority', async () => {
      const t = Date.now() - 10_000;
      await save({ nextRunAt: new Date(t + 2000), data: { n: 'later' } });
      await save({ nextRunAt: new Date(t), priority: 0, data: { n: 'low' } });
      await save({ nextRunAt: new Date(t), priority: 10, data: { n: 'high' } });
      await save({ nextRunAt: inSeconds(3600), data: { n: 'future' } });
      await save({ name: 'other', data: { n: 'other' } });
      const claim = () => repo.getNextJobToRun('test-job', new Date(), new Date(Date.now() - 60_000), new Date(), { lastModifiedBy: 'w1' });
      const order = [];
      for (let j = await claim(); j; j = await claim()) {
        expect(j.lockedAt).toBeInstanceOf(Date);
        expect(j.lastModifiedBy).toBe('w1');
        order.push((j.data as { n: string }).n);
      }
      expect(order).toEqual(['high', 'low', 'later']);
    });

    it('claims due jobs in batches, and hands back those not yet given out', async () => {
      for (let n = 0; n < 5; n++) await save({ data: { n } });
      const first = await repo.getNextJobToRun('test-job', new Date(), new Date(Date.now() - 60_000), new Date(), undefined);
      expect(first).toBeDefined();
      // One claim took all five; Agenda was given one.
      expect((await repo.queryJobs({ name: 'test-job' })).jobs.filter((j) => j.lockedAt)).toHaveLength(5);
      await repo.releasePrefetched();
      const locked = (await repo.queryJobs({ name: 'test-job' })).jobs.filter((j) => j.lockedAt);
      expect(locked.map((j) => j._id)).toEqual([first!._id]);
      // Another worker can take them now.
      const other = new SequelizeJobRepository(db.sequelize);
      expect(await other.getNextJobToRun('test-job', new Date(), new Date(Date.now() - 60_000), new Date(), undefined)).toBeDefined();
      await other.releasePrefetched();
    });

    it('claims nothing once stopped, and hands back a claim that was under way when it stopped', async () => {
      for (let n = 0; n < 3; n++) await save({ data: { n } });
      const deadline = () => new Date(Date.now() - 60_000);
      repo.stopClaiming();
      expect(await repo.getNextJobToRun('test-job', new Date(), deadline(), new Date(), undefined)).toBeUndefined();
      repo.startClaiming();
      const underWay = repo.getNextJobToRun('test-job', new Date(), deadline(), new Date(), undefined);
      repo.stopClaiming();
      expect(await underWay).toBeUndefined();
      expect((await repo.queryJobs({ name: 'test-job' })).jobs.filter((j) => j.lockedAt)).toHaveLength(0);
      repo.startClaiming();
      expect(await repo.getNextJobToRun('test-job', new Date(), deadline(), new Date(), undefined)).toBeDefined();
      await repo.releasePrefetched();
    });

    it('does not hand out a prefetched job whose claim expired meanwhile', async () => {
      for (let n = 0; n < 2; n++) await save({ data: { n } });
      const claimedAt = new Date(Date.now() - 30_000);
      await repo.getNextJobToRun('test-job', new Date(), new Date(Date.now() - 60_000), claimedAt, undefined);
      // The second job was claimed 30 s ago too; with a 10 s lifetime that claim is over.
      const next = await repo.getNextJobToRun('test-job', new Date(), new Date(Date.now() - 10_000), new Date(), undefined);
      expect(next?.lockedAt && next.lockedAt.getTime()).toBeGreaterThan(Date.now() - 5_000);
    });

    it('skips disabled jobs, and reclaims a lock older than the deadline', async () => {
      await save({ disabled: true });
      expect(await repo.getNextJobToRun('test-job', new Date(), new Date(0), new Date(), undefined)).toBeUndefined();
      await repo.enableJobs({ name: 'test-job' });
      const claimed = await repo.getNextJobToRun('test-job', new Date(), new Date(0), new Date(Date.now() - 30_000), undefined);
      expect(claimed).toBeDefined();
      // Locked 30 s ago: not yet expired for a 60 s lifetime, expired for a 10 s one.
      expect(await repo.getNextJobToRun('test-job', new Date(), new Date(Date.now() - 60_000), new Date(), undefined)).toBeUndefined();
      const reclaimed = await repo.getNextJobToRun('test-job', new Date(), new Date(Date.now() - 10_000), new Date(), undefined);
      expect(reclaimed?._id).toBe(claimed!._id);
    });

    it('lockJob locks only an unlocked job whose nextRunAt still matches', async () => {
      const saved = await save();
      expect(await repo.lockJob({ ...saved, nextRunAt: new Date(0) }, undefined)).toBeUndefined();
      const locked = await repo.lockJob(saved, { lastModifiedBy: 'w2' });
      expect(locked?.lockedAt).toBeInstanceOf(Date);
      expect(await repo.lockJob(saved, undefined)).toBeUndefined();
    });

    it('unlockJob leaves a running job (nextRunAt null) locked; unlockJobs unlocks by id', async () => {
      const a = await repo.lockJob(await save(), undefined);
      const b = await repo.lockJob(await save(), undefined);
      await repo.saveJobState({ ...b!, nextRunAt: null }, undefined);
      await repo.unlockJob(a!);
      await repo.unlockJob(b!);
      expect((await repo.getJobById(a!._id!))!.lockedAt).toBeUndefined();
      expect((await repo.getJobById(b!._id!))!.lockedAt).toBeInstanceOf(Date);
      await repo.unlockJobs([b!._id!]);
      expect((await repo.getJobById(b!._id!))!.lockedAt).toBeUndefined();
      await repo.unlockJobs([]);
    });
  });

  describe('saveJobState', () => {
    it('writes run state and refuses a job that no longer exists', async () => {
      const saved = await save();
      const finished = new Date();
      await repo.saveJobState({ ...saved, lockedAt: undefined, lastRunAt: finished, lastFinishedAt: finished, nextRunAt: null, failCount: 2, failReason: 'boom', failedAt: finished, progress: 50 }, { lastModifiedBy: 'w3' });
      expect(await repo.getJobById(saved._id!)).toMatchObject({ failCount: 2, failReason: 'boom', progress: 50, nextRunAt: null, lastModifiedBy: 'w3' });
      await expect(repo.saveJobState({ ...saved, _id: toJobId('999999') }, undefined)).rejects.toThrow(/cannot be updated/);
    });
  });

  describe('queries and bulk changes', () => {
    it('queryJobs filters by name(s), id(s), search, data, state, and pages', async () => {
      const a = await save({ name: 'send-mail', data: { to: 'x', meta: { kind: 'reminder' } } });
      await save({ name: 'send-mail', data: { to: 'y' }, nextRunAt: inSeconds(3600) });
      await save({ name: 'escalate', data: { ticketId: 1 }, disabled: true });
      expect((await repo.queryJobs({ name: 'send-mail' })).total).toBe(2);
      expect((await repo.queryJobs({ names: ['send-mail', 'escalate'] })).total).toBe(3);
      expect((await repo.queryJobs({ id: a._id })).jobs.map((j) => j._id)).toEqual([a._id]);
      expect((await repo.queryJobs({ ids: [a._id!] })).total).toBe(1);
      expect((await repo.queryJobs({ search: 'mail' })).total).toBe(2);
      expect((await repo.queryJobs({ search: '%' })).total).toBe(0);
      // %, _ and the escape character itself are matched literally, on both engines.
      await save({ name: 'slack_post!' });
      expect((await repo.queryJobs({ search: 'k_p' })).jobs.map((j) => j.name)).toEqual(['slack_post!']);
      expect((await repo.queryJobs({ search: 't!' })).jobs.map((j) => j.name)).toEqual(['slack_post!']);
      await repo.removeJobs({ name: 'slack_post!' });
      expect((await repo.queryJobs({ data: { meta: { kind: 'reminder' } } })).jobs.map((j) => j._id)).toEqual([a._id]);
      expect((await repo.queryJobs({ state: 'scheduled' })).total).toBe(1);
      expect((await repo.queryJobs({ state: 'queued', includeDisabled: false })).total).toBe(1);
      expect((await repo.queryJobs({ state: 'paused' })).total).toBe(1);
      const page = await repo.queryJobs({ sort: { name: 'asc' }, skip: 1, limit: 1 });
      expect(page.total).toBe(3);
      expect(page.jobs).toHaveLength(1);
      expect(page.jobs[0]!.name).toBe('send-mail');
    });

    it('counts due jobs, lists names and overviews', async () => {
      await save({ name: 'a' });
      await save({ name: 'a', nextRunAt: inSeconds(3600) });
      await save({ name: 'b', disabled: true });
      expect(await repo.getQueueSize()).toBe(2);
      expect(await repo.getDistinctJobNames()).toEqual(['a', 'b']);
      const overview = await repo.getJobsOverview();
      expect(overview.find((o) => o.name === 'a')).toMatchObject({ total: 2, queued: 1, scheduled: 1 });
      expect(overview.find((o) => o.name === 'b')).toMatchObject({ total: 1, paused: 1 });
    });

    it('removes, disables and enables by id, ids, name, names, notNames and data; nothing without criteria', async () => {
      const a = await save({ name: 'a', data: { ticketId: 1 } });
      await save({ name: 'a', data: { ticketId: 2 } });
      await save({ name: 'b' });
      await save({ name: 'c' });
      expect(await repo.removeJobs({})).toBe(0);
      expect(await repo.disableJobs({ names: ['a', 'b'] })).toBe(3);
      expect(await repo.enableJobs({ name: 'a', data: { ticketId: 2 } })).toBe(1);
      expect((await repo.queryJobs({ state: 'paused' })).total).toBe(2);
      expect(await repo.removeJobs({ notNames: ['a'] })).toBe(2);
      expect(await repo.removeJobs({ name: 'a', data: { ticketId: 1 } })).toBe(1);
      expect(await repo.getJobById(a._id!)).toBeNull();
      const rest = await repo.queryJobs();
      expect(await repo.removeJobs({ ids: rest.jobs.map((j) => j._id) })).toBe(1);
      await save();
      await save();
      expect(await repo.purgeAllJobs()).toBe(2);
    });
  });
});
