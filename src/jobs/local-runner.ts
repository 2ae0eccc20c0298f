import { Job, type Agenda, type JobParameters } from 'agenda';
import type { Transaction } from 'sequelize';
import { afterCommit } from '../db/unit-of-work.ts';
import type { Logger } from '../lib/logger.ts';
import type { SequelizeJobRepository } from './sequelize-backend/index.ts';

/** What the runner needs to know about one kind of job. */
export interface LocalJobKind {
  name: string;
  priority: number;
  /** How many of these the process runs at once (shared with the jobs Agenda runs). */
  concurrency: number;
  lockLifetime: number;
  /**
   * Runs the handler, counted as running from the start; `before` runs first and may say
   * the job is not to run after all (false). Throws as the handler throws.
   */
  execute(job: Job, before: () => Promise<boolean>): Promise<boolean>;
  /** Delay before the retry after failed attempt `attempt`, or null to give up. */
  backoff(attempt: number, error: Error): number | null;
}

interface Claimed {
  job: JobParameters;
  /** The claim's `locked_at`, as written with the job. */
  claimedAt: number;
}

interface Lane {
  kind: LocalJobKind;
  queue: Claimed[];
}

export interface LocalRunnerOptions {
  repository: SequelizeJobRepository;
  agenda: Agenda;
  workerName: string;
  logger: Logger;
  /** Told of every failed run (after the outcome is saved), as Agenda's 'fail' listeners are. */
  onFailure?: (error: Error, job: Job) => void;
  /** A job given up for good (its backoff said no more): kept as a dead letter. */
  onDeadLetter?: (error: Error, job: Job) => void;
  kinds: LocalJobKind[];
  /** Handlers of each kind running in this process, whichever path started them. */
  runningOf(name: string): number;
  /** Most handlers this runner runs at once. */
  maxConcurrency: number;
  /** Beyond this many waiting, new jobs are left to the pollers instead. */
  maxQueued?: number;
  /** Whether a job of this kind may start now (false: it waits, and is tried again shortly). */
  mayStart?: (kind: LocalJobKind) => boolean;
}

/** How soon jobs held back by `mayStart` are tried again. */
const HELD_BACK_RETRY_MS = 10;

/**
 * Runs the due jobs this process writes, right after the transaction that writes them
 * commits, without a round through the poller.
 *
 * Such a job is inserted already claimed by this process (`locked_at` set, in the caller's
 * transaction), so no other worker starts it while the claim lasts; after commit it waits
 * in memory for a free slot and runs here, and its outcome is saved as Agenda saves it
 * (finished, or failed with the retry the job's policy gives, which the pollers pick up).
 * The row is the durable copy: if the process dies before the job ran, the claim expires
 * and any worker takes the job over; on an orderly stop the claims of jobs not started are
 * handed back at once. A job that waited so long that its claim could expire renews it
 * first, or leaves the job to the worker that took it over.
 */
export class LocalRunner {
  private readonly lanes: Lane[];
  private readonly byName = new Map<string, Lane>();
  private accepting = false;
  private running = 0;
  private queued = 0;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: LocalRunnerOptions) {
    this.lanes = [...options.kinds].sort((a, b) => b.priority - a.priority).map((kind) => ({ kind, queue: [] }));
    for (const lane of this.lanes) this.byName.set(lane.kind.name, lane);
  }

  start(): void {
    this.accepting = true;
  }

  /** Whether a due job of this kind written now would run here. */
  accepts(name: string): boolean {
    return this.accepting && this.byName.has(name) && this.queued < (this.options.maxQueued ?? 10_000);
  }

  /** A job written claimed by this process in `transaction` (see insertMany): it runs here once that commits. */
  runAfterCommit(transaction: Transaction, saved: JobParameters): void {
    const claimed: Claimed = { job: saved, claimedAt: saved.lockedAt!.getTime() };
    afterCommit(transaction, () => this.enqueue(claimed));
  }

  /** Stops starting jobs and hands back the claims of those not started. */
  async stop(): Promise<void> {
    this.accepting = false;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const waiting = this.lanes.flatMap((lane) => lane.queue.splice(0));
    this.queued = 0;
    await this.options.repository.releaseClaims(waiting.map((c) => ({ id: String(c.job._id), claimedAt: c.claimedAt })));
  }

  /** Starts what can start: most urgent kind first, within each kind's and the overall limit. */
  pump(): void {
    const mayStart = this.options.mayStart ?? (() => true);
    while (this.accepting && this.running < this.options.maxConcurrency) {
      const ready = this.lanes.filter((l) => l.queue.length > 0 && this.options.runningOf(l.kind.name) < l.kind.concurrency);
      const lane = ready.find((l) => mayStart(l.kind));
      if (!lane) {
        if (ready.length > 0) this.retryLater();
        return;
      }
      const claimed = lane.queue.shift()!;
      this.queued--;
      this.running++;
      void this.run(lane.kind, claimed).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }

  private retryLater(): void {
    if (this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.pump();
    }, HELD_BACK_RETRY_MS);
    this.retryTimer.unref();
  }

  private enqueue(claimed: Claimed): void {
    const lane = this.byName.get(claimed.job.name)!;
    if (!this.accepting) {
      // Committed while stopping: hand it back so a worker runs it now.
      void this.options.repository.releaseClaims([{ id: String(claimed.job._id), claimedAt: claimed.claimedAt }]).catch((err: unknown) => this.options.logger.warn({ err }, 'could not hand back a job claim'));
      return;
    }
    lane.queue.push(claimed);
    this.queued++;
    this.pump();
  }

  private async run(kind: LocalJobKind, claimed: Claimed): Promise<void> {
    const { repository, agenda, logger, workerName } = this.options;
    const id = String(claimed.job._id);
    let claimedAt = claimed.claimedAt;
    try {
      const job = new Job(agenda, { ...claimed.job, lockedAt: new Date(claimedAt), lastModifiedBy: workerName }, true);
      // A job that waited so long its claim could expire renews it first, or leaves the job
      // to the worker that took it over; done inside the run, so its slot is already taken.
      const renewIfOld = async () => {
        const now = Date.now();
        if (now - claimedAt <= kind.lockLifetime / 2) return true;
        if (!(await repository.renewClaim(id, claimedAt, now))) return false; // taken over meanwhile
        claimedAt = now;
        job.attrs.lockedAt = new Date(now);
        return true;
      };
      job.attrs.lastRunAt = new Date();
      let failure: Error | undefined;
      let givenUp: Error | undefined;
      try {
        if (!(await kind.execute(job, renewIfOld))) return;
        job.attrs.lastFinishedAt = new Date();
        job.attrs.nextRunAt = null;
      } catch (err) {
        const error = err instanceof Error ? err : new Error(String(err));
        job.fail(error);
        failure = error;
        const delay = kind.backoff(job.attrs.failCount ?? 1, error);
        job.attrs.nextRunAt = delay === null ? null : new Date(Date.now() + delay);
        if (delay === null) givenUp = error;
      }
      // job.touch() renews the claim during a long run.
      const heldSince = job.attrs.lockedAt?.getTime() ?? claimedAt;
      job.attrs.lockedAt = undefined;
      await repository.finishClaimed(job.attrs, heldSince, { lastModifiedBy: workerName });
      if (failure) {
        if (this.options.onFailure) this.options.onFailure(failure, job);
        else logger.warn({ err: failure, job: kind.name, jobId: id, failCount: job.attrs.failCount }, 'job failed');
      }
      if (givenUp) this.options.onDeadLetter?.(givenUp, job);
    } catch (err) {
      // The outcome could not be saved: the claim expires and the job runs again (handlers are idempotent).
      logger.error({ err, job: kind.name, jobId: id }, 'could not record the outcome of a job');
    }
  }
}
