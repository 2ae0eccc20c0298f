import { NotReadyError } from '../lib/not-ready-error.ts';
import { hostname } from 'node:os';
import { Agenda, toJobId, type Job } from 'agenda';
import type { Transaction } from 'sequelize';
import { afterCommit, beforeCommit } from '../db/unit-of-work.ts';
import type { z } from 'zod';
import { defaultRetryDelay, InvalidJobPayloadError, type JobContext, type JobDefinition } from './define-job.ts';
import { keepClaimAlive as keepAlive } from './keep-claim-alive.ts';
import { LocalRunner } from './local-runner.ts';
import { PURGE_FINISHED_JOBS } from './definitions/purge-finished-jobs.ts';
import { WRITE_STATEMENTS } from './definitions/write-statements.ts';
import { HOME_STATISTICS } from './definitions/home-statistics.ts';
import { STATISTICS_EVERY_MS } from '../domain/home/statistics-snapshots.ts';
import { SequelizeBackend, scheduleInTransaction } from './sequelize-backend/index.ts';

export interface JobsOptions {
  /** How often to look for due jobs (JOBS_POLL_MS). */
  pollMs: number;
  definitions: JobDefinition[];
  /** Shown as `last_modified_by` on the jobs this process claims. */
  workerName?: string;
  maxConcurrency?: number;
  /**
   * True while callers wait on this process (many requests in flight): jobs of priority 0
   * then start only one at a time.
   */
  congested?: () => boolean;
  /** How long a claim on a job lasts unless renewed (CLAIM_MS; tests shorten it). */
  claimMs?: number;
  /** Told of each job given up for good (see dead-letters.ts), after it is logged. */
  onDeadLetter?: (letter: { id: string; name: string; failCount: number; error: Error }) => void;
}

/**
 * How long a worker's claim on a job lasts: renewed every third of it while the job runs,
 * so a crashed process's jobs are taken over by another (or by it, restarted) within this.
 */
export const CLAIM_MS = 30_000;

export interface Jobs {
  agenda: Agenda;
  backend: SequelizeBackend;
  start(): Promise<void>;
  /**
   * Stops claiming jobs, hands back the ones claimed but not started, lets running ones
   * finish for up to `graceMs`. Jobs still running then keep their claim (they are taken
   * over when it expires), so nothing runs twice at once.
   */
  stop(graceMs?: number): Promise<void>;
  /**
   * Writes a job in the caller's transaction (a managed one: the job is written just before
   * it commits, with the transaction's other jobs): it exists (and runs) only if that commits.
   */
  scheduleInTransaction<S extends z.ZodType>(transaction: Transaction, definition: JobDefinition<S>, payload: z.input<S>, opts?: { runAt?: Date; unique?: Record<string, unknown>; uniqueOpts?: { debounce?: { delay: number; maxWait?: number } } }): Promise<void>;
  /** Schedules a job outside any transaction. */
  schedule<S extends z.ZodType>(definition: JobDefinition<S>, payload: z.input<S>, opts?: { runAt?: Date }): Promise<void>;
  /** Number of handlers running in this process. */
  running(): number;
  /** Whether this process is claiming and running jobs. */
  processing(): boolean;
}

/** A job not started here (the worker stopping, or no slot for too long): not a failure. */
class HandedBack extends NotReadyError {}

/** The one Agenda of a process, on the app's database, with every job definition registered. */
export function createJobs(ctx: JobContext, options: JobsOptions): Jobs {
  const backend = new SequelizeBackend(ctx.db.sequelize);
  const workerName = options.workerName ?? `${hostname()}:${process.pid}`;
  const agenda = new Agenda({
    backend,
    name: workerName,
    processEvery: options.pollMs,
    maxConcurrency: options.maxConcurrency ?? 60,
    defaultConcurrency: 5,
  });
  agenda.on('error', (err: unknown) => ctx.logger.error({ err }, 'job scheduler error'));
  // A job whose retry policy said no more stays as a dead letter: said once, loudly.
  const reportDeadLetter = (error: Error, job: Job) => {
    const letter = { id: String(job.attrs._id), name: job.attrs.name, failCount: job.attrs.failCount ?? 1, error };
    ctx.logger.error({ err: error, job: letter.name, jobId: letter.id, failCount: letter.failCount }, 'job given up: kept as a dead letter (npm run helpnet -- jobs failed)');
    try {
      options.onDeadLetter?.(letter);
    } catch (err) {
      ctx.logger.error({ err }, 'could not report a dead letter');
    }
  };
  agenda.on('retry exhausted', reportDeadLetter);
  const reportFailure = (err: Error, job: Job) => {
    if (!(err instanceof NotReadyError)) {
      ctx.logger.warn({ err, job: job.attrs.name, jobId: String(job.attrs._id), failCount: job.attrs.failCount }, 'job failed');
      return;
    }
    // A delivery waiting its turn is not a failure worth a warning, and should not wait for
    // the next poll (seconds) when it asked for a fraction of one: nudge this process then.
    setTimeout(() => {
      void backend.notificationChannel
        .publish({ jobId: job.attrs._id!, jobName: job.attrs.name, nextRunAt: new Date(), priority: job.attrs.priority, timestamp: new Date() })
        .catch(() => undefined);
    }, err.waitMs + 10).unref();
  };
  agenda.on('fail', reportFailure);

  let runningHandlers = 0;
  let started = false;
  let drainedWaiters: (() => void)[] = [];
  const byName = new Map(options.definitions.map((d) => [d.name, d]));

  const runningByName = new Map<string, number>();
  const lockLifetimeOf = (definition: JobDefinition) => definition.options?.lockLifetime ?? options.claimMs ?? CLAIM_MS;
  const renewEvery = (definition: JobDefinition) => Math.max(10, Math.floor(lockLifetimeOf(definition) / 3));
  const keepClaimAlive = (job: Job<unknown>, everyMs: number) => keepAlive(backend.repository, job, everyMs, ctx.logger);
  const backoffOf = (definition: JobDefinition) => {
    const retryDelay = definition.options?.retryDelay ?? defaultRetryDelay;
    // A payload that fails validation never becomes valid: no retry, whatever the job's policy.
    // A job handed back for want of a free slot did not fail: it tries again after the wait.
    return (attempt: number, error: Error) => (error instanceof InvalidJobPayloadError ? null : error instanceof HandedBack ? error.waitMs : retryDelay(attempt, error));
  };
  // Runs a handler, whichever path started the job: Agenda's poller or the local runner.
  // The job counts as running from the start, `before` (which may decide it should not run
  // after all: false) included, so nothing else takes its slot meanwhile.
  const execute = async (definition: JobDefinition, job: Job<unknown>, before?: () => Promise<boolean>): Promise<boolean> => {
    const parsed = definition.payload.safeParse(job.attrs.data);
    if (!parsed.success) {
      throw new InvalidJobPayloadError(`${definition.name}: invalid payload: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
    }
    runningHandlers++;
    runningByName.set(definition.name, (runningByName.get(definition.name) ?? 0) + 1);
    const lowPriority = (definition.options?.priority ?? 0) <= 0;
    if (lowPriority) runningLowPriority++;
    const keepAlive = keepClaimAlive(job, renewEvery(definition));
    try {
      if (before && !(await before())) return false;
      await definition.handler(ctx, parsed.data, job);
      return true;
    } finally {
      await keepAlive.stop();
      if (lowPriority) runningLowPriority--;
      runningByName.set(definition.name, runningByName.get(definition.name)! - 1);
      if (--runningHandlers === 0) for (const w of drainedWaiters.splice(0)) w();
      for (const wake of slotWaiters.splice(0)) wake();
      runner.pump();
    }
  };
  // Agenda counts only the jobs it started, the local runner both: a job Agenda starts
  // waits for a free slot, so a kind's `concurrency` and the process's `maxConcurrency`
  // hold across both paths (the local runner checks before it starts one).
  const maxConcurrency = options.maxConcurrency ?? 60;
  const slotWaiters: (() => void)[] = [];
  // Work nobody waits on yet (priority 0: filing a stored webhook, a note to Zendesk) runs
  // one job at a time while the process is congested, so requests are answered first;
  // deliveries people wait for have a higher priority and go on.
  const congested = options.congested ?? (() => false);
  let runningLowPriority = 0;
  const mayStart = (priority: number) => priority > 0 || runningLowPriority === 0 || !congested();
  // Until a job finishes, or 10 ms (the congestion may have eased meanwhile).
  const waitForSlot = () =>
    new Promise<void>((ok) => {
      const timer = setTimeout(() => {
        const i = slotWaiters.indexOf(wake);
        if (i >= 0) slotWaiters.splice(i, 1);
        ok();
      }, 10);
      timer.unref();
      const wake = () => {
        clearTimeout(timer);
        ok();
      };
      slotWaiters.push(wake);
    });
  const executeInTurn = async (definition: JobDefinition, job: Job<unknown>) => {
    const limit = definition.options?.concurrency ?? 5;
    const since = Date.now();
    while ((runningByName.get(definition.name) ?? 0) >= limit || runningHandlers >= maxConcurrency || !mayStart(definition.options?.priority ?? 0)) {
      await waitForSlot();
      // Stopping: not started, so handed back (as a wait, retried shortly by any worker).
      if (!started) throw new HandedBack('this worker is stopping', 250);
      // Waited so long its claim could expire (and another worker start it): handed back.
      if (Date.now() - since > lockLifetimeOf(definition) / 2) throw new HandedBack('no free slot for this job here yet', 250);
    }
    await execute(definition, job);
  };

  for (const definition of options.definitions) {
    const backoff = backoffOf(definition);
    agenda.define(definition.name, (job: Job<unknown>) => executeInTurn(definition, job), {
      concurrency: definition.options?.concurrency,
      lockLifetime: lockLifetimeOf(definition),
      priority: definition.options?.priority,
      backoff: ({ attempt, error }) => backoff(attempt, error),
    });
  }

  const runner = new LocalRunner({
    repository: backend.repository,
    agenda,
    workerName,
    logger: ctx.logger,
    onFailure: reportFailure,
    onDeadLetter: reportDeadLetter,
    maxConcurrency,
    runningOf: (name) => runningByName.get(name) ?? 0,
    mayStart: (kind) => mayStart(kind.priority),
    kinds: options.definitions.map((definition) => ({
      name: definition.name,
      priority: definition.options?.priority ?? 0,
      concurrency: definition.options?.concurrency ?? 5,
      lockLifetime: lockLifetimeOf(definition),
      execute: (job, before) => execute(definition, job, before),
      backoff: backoffOf(definition),
    })),
  });

  // A transaction's jobs are written together just before it commits: one INSERT instead
  // of one per job. Due jobs this process can run are written claimed by it and run here
  // after commit (see local-runner.ts); the others are left to the pollers, nudged.
  interface PendingJob {
    name: string;
    data: unknown;
    priority: number;
    nextRunAt: Date;
    local: boolean;
  }
  const pendingJobs = new WeakMap<Transaction, PendingJob[]>();
  const writePending = async (transaction: Transaction, pending: PendingJob[]) => {
    pendingJobs.delete(transaction);
    const saved = await backend.repository.insertMany(
      pending.map((p) => ({ name: p.name, data: p.data, priority: p.priority, nextRunAt: p.nextRunAt, ...(p.local ? { claimedBy: workerName } : { lastModifiedBy: workerName }) })),
      transaction,
    );
    saved.forEach((job, i) => {
      if (pending[i]!.local) runner.runAfterCommit(transaction, job);
    });
    const polled = saved.filter((_, i) => !pending[i]!.local);
    if (polled.length > 0) {
      afterCommit(transaction, () => {
        for (const job of polled) {
          void backend.notificationChannel
            .publish({ jobId: toJobId(String(job._id)), jobName: job.name, nextRunAt: job.nextRunAt, priority: job.priority, timestamp: new Date() })
            .catch(() => undefined); // only a nudge: the next poll finds the job anyway
        }
      });
    }
  };

  const payloadOf = <S extends z.ZodType>(definition: JobDefinition<S>, payload: z.input<S>) => {
    if (!byName.has(definition.name)) throw new Error(`job ${definition.name} is not registered`);
    return definition.payload.parse(payload) as unknown;
  };

  return {
    agenda,
    backend,
    async start() {
      backend.repository.startClaiming();
      started = true;
      await agenda.start();
      runner.start();
      if (byName.has(PURGE_FINISHED_JOBS)) await agenda.every('1 hour', PURGE_FINISHED_JOBS, { keepDays: 7 });
      if (byName.has(WRITE_STATEMENTS)) await agenda.every('1 hour', WRITE_STATEMENTS, {});
      if (byName.has(HOME_STATISTICS)) await agenda.every(`${STATISTICS_EVERY_MS / 60_000} minutes`, HOME_STATISTICS, {});
    },
    async stop(graceMs = 10_000) {
      started = false;
      backend.repository.stopClaiming();
      for (const wake of slotWaiters.splice(0)) wake();
      await runner.stop();
      await agenda.stop(false);
      await backend.repository.releasePrefetched();
      if (runningHandlers > 0) {
        const drained = new Promise<void>((ok) => drainedWaiters.push(ok));
        const timeout = new Promise<void>((ok) => setTimeout(ok, graceMs).unref());
        await Promise.race([drained, timeout]);
        if (runningHandlers > 0) ctx.logger.warn({ running: runningHandlers }, 'jobs still running at shutdown keep their claim and will be taken over');
        drainedWaiters = [];
      }
      // Let Agenda record the outcome of jobs that just finished before the database closes.
      await new Promise((ok) => setTimeout(ok, 20));
      await backend.repository.idle();
    },
    async scheduleInTransaction(transaction, definition, payload, opts = {}) {
      const data = payloadOf(definition, payload);
      const priority = definition.options?.priority ?? 0;
      if (opts.unique) {
        await scheduleInTransaction(backend, transaction, { name: definition.name, data, runAt: opts.runAt, unique: opts.unique, uniqueOpts: opts.uniqueOpts, priority }, workerName);
        return;
      }
      const due = !opts.runAt || opts.runAt.getTime() <= Date.now();
      let pending = pendingJobs.get(transaction);
      if (!pending) {
        const list: PendingJob[] = [];
        pendingJobs.set(transaction, list);
        beforeCommit(transaction, () => writePending(transaction, list));
        pending = list;
      }
      pending.push({ name: definition.name, data, priority, nextRunAt: opts.runAt ?? new Date(), local: due && runner.accepts(definition.name) });
    },
    async schedule(definition, payload, opts = {}) {
      await agenda.schedule(opts.runAt ?? new Date(), definition.name, payloadOf(definition, payload));
    },
    running: () => runningHandlers,
    processing: () => started,
  };
}
