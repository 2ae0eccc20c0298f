import {
  computeJobState,
  type JobParameters,
  type JobRepository,
  type JobRepositoryOptions,
  type JobsOverview,
  type JobsQueryOptions,
  type JobsResult,
  type JobsSort,
  type JobWithState,
  type RemoveJobsOptions,
} from 'agenda';
import { createHash } from 'node:crypto';
import { QueryTypes, UniqueConstraintError, type Sequelize, type Transaction } from 'sequelize';
import { insertedIds } from '../../db/sql.ts';
import { unitOfWorkFor, type UnitOfWork } from '../../db/unit-of-work.ts';
import { AgendaJobRow } from './agenda-job-model.ts';
import { containsData, definitionColumns, rowToJob, toMs, type RawJobRow } from './job-row.ts';

const TABLE = 'agenda_jobs';

/** How many due jobs one claim takes at most (see takePrefetched). */
const PREFETCH = 20;

interface Claim {
  where: string;
  params: unknown[];
  order: string;
  limit: number;
}

const byUrgency = (a: JobParameters, b: JobParameters) =>
  (a.nextRunAt?.getTime() ?? Infinity) - (b.nextRunAt?.getTime() ?? Infinity) || b.priority - a.priority;

/** Job fields that may be named in a `unique` constraint, and their columns. */
const UNIQUE_COLUMNS: Record<string, string> = {
  name: 'name',
  priority: 'priority',
  type: 'type',
  nextRunAt: 'next_run_at',
  repeatInterval: 'repeat_interval',
  repeatAt: 'repeat_at',
  disabled: 'disabled',
};

const SORT_COLUMNS: Record<keyof JobsSort, string> = {
  nextRunAt: 'next_run_at',
  lastRunAt: 'last_run_at',
  lastFinishedAt: 'last_finished_at',
  priority: 'priority',
  name: 'name',
  data: 'data',
};

interface Where {
  sql: string[];
  params: unknown[];
  /** A `data` pattern, matched in code after the SQL filter (JSON containment differs per engine). */
  data?: unknown;
}

/**
 * Agenda's JobRepository over the app's Sequelize instance (MySQL/MariaDB or SQLite).
 *
 * Claiming is atomic across processes: on MySQL the next due job is selected
 * `FOR UPDATE SKIP LOCKED` and locked in the same transaction, so competing workers skip
 * each other's rows instead of waiting; on SQLite, where one writer holds the database at a
 * time, a single `UPDATE … WHERE id = (SELECT …) RETURNING *` claims it.
 */
export class SequelizeJobRepository implements JobRepository {
  private readonly engine: 'mysql' | 'sqlite';
  /** Writes under way, so shutdown can wait for them before the database closes. */
  private inFlight = 0;
  /** Jobs claimed ahead, by name, not yet handed to Agenda. */
  private readonly prefetched = new Map<string, JobParameters[]>();
  private idleWaiters: (() => void)[] = [];
  /** False once the worker stops: a queue fill Agenda still has under way claims nothing more. */
  private claiming = true;
  private readonly unitOfWork: UnitOfWork;

  constructor(private readonly sequelize: Sequelize) {
    this.engine = sequelize.getDialect() === 'sqlite' ? 'sqlite' : 'mysql';
    if (!AgendaJobRow.sequelize || AgendaJobRow.sequelize !== sequelize) AgendaJobRow.initModel(sequelize);
    this.unitOfWork = unitOfWorkFor(sequelize);
  }

  async connect(): Promise<void> {
    // The table comes from the migrations; this fails early and clearly if they did not run.
    await this.sequelize.query(`SELECT 1 FROM ${TABLE} WHERE 1 = 0`, { type: QueryTypes.SELECT });
  }

  /** Resolves once no repository call is running. */
  async idle(): Promise<void> {
    if (this.inFlight === 0) return;
    await new Promise<void>((ok) => this.idleWaiters.push(ok));
  }

  private async tracked<T>(work: () => Promise<T>): Promise<T> {
    this.inFlight++;
    try {
      return await work();
    } finally {
      if (--this.inFlight === 0) for (const w of this.idleWaiters.splice(0)) w();
    }
  }

  private select(sql: string, params: unknown[] = [], transaction?: Transaction): Promise<RawJobRow[]> {
    return this.sequelize.query<RawJobRow>(sql, { replacements: params, type: QueryTypes.SELECT, transaction });
  }

  private async update(sql: string, params: unknown[], transaction?: Transaction): Promise<number> {
    return (await this.sequelize.query(sql, { replacements: params, type: QueryTypes.BULKUPDATE, transaction })) as unknown as number;
  }

  // ---- queries ---------------------------------------------------------------------------

  async getJobById(id: string): Promise<JobParameters | null> {
    if (!/^\d+$/.test(String(id))) return null;
    const [row] = await this.select(`SELECT * FROM ${TABLE} WHERE id = ?`, [String(id)]);
    return row ? rowToJob(row) : null;
  }

  async queryJobs(options: JobsQueryOptions = {}): Promise<JobsResult> {
    const { state, includeDisabled = true, sort, skip = 0, limit = 0 } = options;
    const where: Where = { sql: [], params: [] };
    if (options.name) this.add(where, 'name = ?', options.name);
    else if (options.names?.length) this.addIn(where, 'name', options.names);
    if (options.id) this.add(where, 'id = ?', String(options.id));
    else if (options.ids?.length) this.addIn(where, 'id', options.ids.map(String));
    // An escape character both engines take the same way (SQLite has none by default).
    if (options.search) this.add(where, "name LIKE ? ESCAPE '!'", `%${options.search.replace(/[!%_]/g, (c) => `!${c}`)}%`);
    if (!includeDisabled) where.sql.push('disabled = 0');
    where.data = options.data;

    const now = new Date();
    const jobs = (await this.rows(where, this.orderBy(sort)))
      .map((job): JobWithState => ({ ...job, _id: job._id!, state: computeJobState(job, now) }))
      .filter((job) => !state || (state === 'paused' ? job.disabled === true : job.state === state));
    const page = limit > 0 ? jobs.slice(skip, skip + limit) : jobs.slice(skip);
    return { jobs: page, total: jobs.length };
  }

  async getJobsOverview(): Promise<JobsOverview[]> {
    const now = new Date();
    const byName = new Map<string, JobsOverview>();
    for (const row of await this.select(`SELECT * FROM ${TABLE} ORDER BY name`)) {
      const job = rowToJob(row);
      let o = byName.get(job.name);
      if (!o) {
        o = { name: job.name, total: 0, running: 0, scheduled: 0, queued: 0, completed: 0, failed: 0, repeating: 0, paused: 0 };
        byName.set(job.name, o);
      }
      o.total++;
      o[computeJobState(job, now)]++;
      if (job.disabled) o.paused++;
    }
    return [...byName.values()];
  }

  async getDistinctJobNames(): Promise<string[]> {
    return (await this.select(`SELECT DISTINCT name FROM ${TABLE} ORDER BY name`)).map((r) => String(r.name));
  }

  async getQueueSize(): Promise<number> {
    const [row] = await this.select(`SELECT COUNT(*) AS n FROM ${TABLE} WHERE next_run_at < ?`, [Date.now()]);
    return Number(row?.n ?? 0);
  }

  // ---- bulk changes ----------------------------------------------------------------------

  /**
   * Makes the jobs waiting after a failure with exactly this reason due now (those not
   * claimed): what waited for something that is now there runs at once. The number woken.
   */
  async runNowWhereFailedWith(reason: string): Promise<number> {
    const now = Date.now();
    return this.tracked(() => this.update(`UPDATE ${TABLE} SET next_run_at = ? WHERE fail_reason = ? AND locked_at IS NULL AND next_run_at > ?`, [now, reason, now]));
  }

  async removeJobs(options: RemoveJobsOptions): Promise<number> {
    return this.tracked(() => this.changeMatching(options, 'DELETE FROM agenda_jobs'));
  }

  async disableJobs(options: RemoveJobsOptions): Promise<number> {
    return this.tracked(() => this.changeMatching(options, 'UPDATE agenda_jobs SET disabled = 1'));
  }

  async enableJobs(options: RemoveJobsOptions): Promise<number> {
    return this.tracked(() => this.changeMatching(options, 'UPDATE agenda_jobs SET disabled = 0'));
  }

  async purgeAllJobs(): Promise<number> {
    return this.tracked(async () => (await this.sequelize.query(`DELETE FROM ${TABLE}`, { type: QueryTypes.BULKDELETE })) as unknown as number);
  }

  // ---- locking ---------------------------------------------------------------------------

  async lockJob(job: JobParameters, options?: JobRepositoryOptions): Promise<JobParameters | undefined> {
    if (!job._id) return undefined;
    return this.tracked(async () => {
      const locked = await this.update(
        `UPDATE ${TABLE} SET locked_at = ?, last_modified_by = ?, updated_at = ?
         WHERE id = ? AND name = ? AND locked_at IS NULL AND next_run_at = ? AND disabled = 0`,
        [Date.now(), options?.lastModifiedBy ?? null, Date.now(), String(job._id), job.name, toMs(job.nextRunAt)],
      );
      return locked === 1 ? ((await this.getJobById(String(job._id))) ?? undefined) : undefined;
    });
  }

  async unlockJob(job: JobParameters): Promise<void> {
    if (!job._id) return;
    // A job whose nextRunAt is null is being processed right now; leave its lock alone.
    await this.tracked(() => this.update(`UPDATE ${TABLE} SET locked_at = NULL WHERE id = ? AND next_run_at IS NOT NULL`, [String(job._id)]));
  }

  async unlockJobs(jobIds: string[]): Promise<void> {
    if (jobIds.length === 0) return;
    await this.tracked(() => this.update(`UPDATE ${TABLE} SET locked_at = NULL WHERE id IN (${jobIds.map(() => '?').join(', ')})`, jobIds.map(String)));
  }

  /** Resumes claiming (see stopClaiming). */
  startClaiming(): void {
    this.claiming = true;
  }

  /**
   * Claims nothing more: Agenda's stop does not interrupt a queue fill under way, and jobs
   * it claimed after stopping would be neither run nor handed back until their claim ran
   * out. A claim that was already on its way when this is called is handed back at once.
   */
  stopClaiming(): void {
    this.claiming = false;
  }

  async getNextJobToRun(jobName: string, nextScanAt: Date, lockDeadline: Date, now?: Date, options?: JobRepositoryOptions): Promise<JobParameters | undefined> {
    if (!this.claiming) return undefined;
    return this.tracked(async () => {
      const claimed = await this.claimNext(jobName, nextScanAt, lockDeadline, now, options);
      if (claimed && !this.claiming) {
        this.prefetched.set(jobName, [claimed, ...(this.prefetched.get(jobName) ?? [])]);
        await this.releasePrefetched();
        return undefined;
      }
      return claimed;
    });
  }

  private async claimNext(jobName: string, nextScanAt: Date, lockDeadline: Date, now?: Date, options?: JobRepositoryOptions): Promise<JobParameters | undefined> {
    const cached = await this.takePrefetched(jobName, lockDeadline);
    if (cached) return cached;
    const lockAt = (now ?? new Date()).getTime();
    const by = options?.lastModifiedBy ?? null;
    // Two index range reads instead of one OR, which no index serves: first jobs whose
    // claim expired (their worker died), so crash recovery is not starved by new work,
    // then the most urgent unclaimed due jobs.
    const expired: Claim = { where: 'name = ? AND disabled = 0 AND locked_at <= ?', params: [jobName, lockDeadline.getTime()], order: 'ORDER BY locked_at ASC', limit: 1 };
    const due: Claim = {
      where: 'name = ? AND disabled = 0 AND locked_at IS NULL AND next_run_at <= ?',
      params: [jobName, nextScanAt.getTime()],
      order: 'ORDER BY next_run_at ASC, priority DESC',
      limit: PREFETCH,
    };
    // Expired claims are rare: a plain read (no transaction, no lock) rules them out cheaply.
    const anyExpired = (await this.select(`SELECT id FROM ${TABLE} WHERE ${expired.where} LIMIT 1`, expired.params)).length > 0;
    for (const c of anyExpired ? [expired, due] : [due]) {
      const [first, ...rest] = this.engine === 'sqlite' ? await this.claimSqlite(c, lockAt, by) : await this.claimMysql(c, lockAt, by);
      if (!first) continue;
      if (rest.length > 0) this.prefetched.set(jobName, [...(this.prefetched.get(jobName) ?? []), ...rest]);
      return first;
    }
    return undefined;
  }

  /**
   * Agenda asks for one job at a time while filling its queue; claiming a batch per database
   * round trip and handing the rest out from here makes that cheap. A prefetched job whose
   * claim has meanwhile expired is dropped: another worker may have taken it over.
   */
  private async takePrefetched(jobName: string, lockDeadline: Date): Promise<JobParameters | undefined> {
    const queue = this.prefetched.get(jobName);
    while (queue && queue.length > 0) {
      const job = queue.shift()!;
      if (job.lockedAt && job.lockedAt.getTime() > lockDeadline.getTime()) return job;
    }
    return undefined;
  }

  /** Hands back jobs claimed ahead but not given to Agenda (on stop), so others can run them now. */
  async releasePrefetched(): Promise<void> {
    const jobs = [...this.prefetched.values()].flat();
    this.prefetched.clear();
    for (const job of jobs) {
      await this.update(`UPDATE ${TABLE} SET locked_at = NULL WHERE id = ? AND locked_at = ?`, [String(job._id), toMs(job.lockedAt)]);
    }
  }

  /** One statement: SQLite runs one writer at a time, so select-and-lock cannot interleave. */
  private async claimSqlite(c: Claim, lockAt: number, by: string | null): Promise<JobParameters[]> {
    const rows = await this.select(
      `UPDATE ${TABLE} SET locked_at = ?, last_modified_by = ?, updated_at = ?
       WHERE id IN (SELECT id FROM ${TABLE} WHERE ${c.where} ${c.order} LIMIT ${c.limit}) RETURNING *`,
      [lockAt, by, lockAt, ...c.params],
    );
    // RETURNING has no defined order.
    return rows.map(rowToJob).sort(byUrgency);
  }

  /**
   * SKIP LOCKED: competing workers pass over rows another is claiming instead of queueing
   * behind it. READ COMMITTED (the session's level, see create-sequelize.ts): rows scanned but
   * not taken are not held locked.
   */
  private async claimMysql(c: Claim, lockAt: number, by: string | null): Promise<JobParameters[]> {
    return this.unitOfWork(async (transaction) => {
      const rows = await this.select(`SELECT * FROM ${TABLE} WHERE ${c.where} ${c.order} LIMIT ${c.limit} FOR UPDATE SKIP LOCKED`, c.params, transaction);
      if (rows.length === 0) return [];
      await this.update(
        `UPDATE ${TABLE} SET locked_at = ?, last_modified_by = ?, updated_at = ? WHERE id IN (${rows.map(() => '?').join(', ')})`,
        [lockAt, by, lockAt, ...rows.map((r) => r.id)],
        transaction,
      );
      return rows.map((row) => rowToJob({ ...row, locked_at: lockAt, last_modified_by: by, updated_at: lockAt }));
    });
  }

  // ---- saving ----------------------------------------------------------------------------

  async saveJobState(job: JobParameters, options?: JobRepositoryOptions): Promise<void> {
    if (!job._id) throw new Error('Cannot save job state without job ID');
    await this.tracked(async () => {
      const changed = await this.update(
        `UPDATE ${TABLE} SET locked_at = ?, next_run_at = ?, last_run_at = ?, progress = ?, fail_reason = ?, fail_count = ?,
           failed_at = ?, last_finished_at = ?, last_modified_by = ?, updated_at = ?
         WHERE id = ? AND name = ?`,
        [
          toMs(job.lockedAt),
          toMs(job.nextRunAt),
          toMs(job.lastRunAt),
          job.progress ?? null,
          job.failReason ?? null,
          job.failCount ?? null,
          toMs(job.failedAt),
          toMs(job.lastFinishedAt),
          options?.lastModifiedBy ?? null,
          Date.now(),
          String(job._id),
          job.name,
        ],
      );
      if (changed !== 1) throw new Error(`job ${job._id} (name: ${job.name}) cannot be updated in the database, maybe it does not exist anymore?`);
    });
  }

  async saveJob<DATA = unknown>(job: JobParameters<DATA>, options?: JobRepositoryOptions): Promise<JobParameters<DATA>> {
    return this.tracked(() => this.saveJobIn(job as JobParameters, options) as Promise<JobParameters<DATA>>);
  }

  /**
   * Inserts or updates a job, optionally inside a caller's transaction (see
   * schedule-in-transaction.ts): the row then exists only if that transaction commits.
   */
  async saveJobIn(job: JobParameters, options?: JobRepositoryOptions, transaction?: Transaction): Promise<JobParameters> {
    const cols = definitionColumns(job, options?.lastModifiedBy);
    const now = Date.now();
    if (job._id) {
      const changed = await this.update(
        `UPDATE ${TABLE} SET ${Object.keys(cols).map((c) => `${c} = ?`).join(', ')}, fail_reason = ?, fail_count = ?, failed_at = ?, updated_at = ?
         WHERE id = ? AND name = ?`,
        [...Object.values(cols), job.failReason ?? null, job.failCount ?? null, toMs(job.failedAt), now, String(job._id), job.name],
        transaction,
      );
      if (changed === 0) return job; // removed meanwhile: nothing to update
      const [row] = await this.select(`SELECT * FROM ${TABLE} WHERE id = ?`, [String(job._id)], transaction);
      return row ? rowToJob(row) : job;
    }
    if (job.type === 'single') return this.upsertSingle(job, cols, transaction);
    if (job.unique) return this.upsertUnique(job, cols, transaction);
    return this.insert(cols, transaction);
  }

  /**
   * Inserts one-off jobs in one statement, inside the caller's transaction (see
   * jobs/agenda.ts, which writes a transaction's jobs just before it commits). A job with
   * `claimedBy` is inserted already claimed by that worker (locked_at = now): no worker
   * claims it while the claim lasts, so the process that wrote it can run it straight
   * after commit (see jobs/local-runner.ts); should that process die first, the claim
   * expires and any worker takes the job over. Returns the saved jobs in order.
   */
  async insertMany(jobs: readonly (Pick<JobParameters, 'name' | 'data' | 'priority' | 'nextRunAt'> & { claimedBy?: string; lastModifiedBy?: string })[], transaction: Transaction): Promise<JobParameters[]> {
    if (jobs.length === 0) return [];
    const now = Date.now();
    const rows = jobs.map((job) => ({
      ...definitionColumns({ ...job, type: 'normal' }, job.claimedBy ?? job.lastModifiedBy),
      locked_at: job.claimedBy ? now : null,
      created_at: now,
      updated_at: now,
    }));
    const names = Object.keys(rows[0]!);
    const one = `(${names.map(() => '?').join(', ')})`;
    const [id] = (await this.sequelize.query(`INSERT INTO ${TABLE} (${names.join(', ')}) VALUES ${rows.map(() => one).join(', ')}`, {
      replacements: rows.flatMap((r) => Object.values(r)),
      type: QueryTypes.INSERT,
      transaction,
    })) as unknown as [number | string, number];
    const ids = insertedIds(this.sequelize, Number(id), rows.length);
    return rows.map((row, i) => rowToJob({ ...row, id: ids[i] }));
  }

  /**
   * Records how a run under a claim ended (Agenda's end-of-run save), only if the claim is
   * still the one the run started under: a job taken over meanwhile is left to its new owner.
   * Plain successes are written together, one UPDATE for all those that finish while the
   * previous one is under way; should the process die before, the claim expires and the
   * job runs again, which idempotent handlers allow.
   */
  async finishClaimed(job: JobParameters, claimedAt: number, options?: JobRepositoryOptions): Promise<void> {
    const by = options?.lastModifiedBy ?? null;
    const plainSuccess = job.nextRunAt === null && job.failCount == null && job.failReason == null && job.failedAt == null && job.progress == null && job.lastRunAt && job.lastFinishedAt;
    if (!plainSuccess) {
      await this.tracked(() =>
        this.update(
          `UPDATE ${TABLE} SET locked_at = NULL, next_run_at = ?, last_run_at = ?, progress = ?, fail_reason = ?, fail_count = ?,
             failed_at = ?, last_finished_at = ?, last_modified_by = ?, updated_at = ?
           WHERE id = ? AND locked_at = ?`,
          [toMs(job.nextRunAt), toMs(job.lastRunAt), job.progress ?? null, job.failReason ?? null, job.failCount ?? null, toMs(job.failedAt), toMs(job.lastFinishedAt), by, Date.now(), String(job._id), claimedAt],
        ),
      );
      return;
    }
    await new Promise<void>((resolve, reject) => {
      this.finishes.push({ id: Number(job._id), claimedAt, lastRunAt: toMs(job.lastRunAt)!, lastFinishedAt: toMs(job.lastFinishedAt)!, by, resolve, reject });
      if (!this.finishing) void this.tracked(() => this.writeFinishes());
    });
  }

  private readonly finishes: { id: number; claimedAt: number; lastRunAt: number; lastFinishedAt: number; by: string | null; resolve(): void; reject(err: unknown): void }[] = [];
  private finishing = false;

  private async writeFinishes(): Promise<void> {
    this.finishing = true;
    try {
      while (this.finishes.length > 0) {
        const batch = this.finishes.splice(0, 200);
        const byId = (column: 'lastRunAt' | 'lastFinishedAt' | 'by') => ({ sql: `CASE id ${batch.map(() => 'WHEN ? THEN ?').join(' ')} END`, params: batch.flatMap((f) => [f.id, f[column]]) });
        const lastRun = byId('lastRunAt');
        const lastFinished = byId('lastFinishedAt');
        const lastBy = byId('by');
        try {
          await this.update(
            `UPDATE ${TABLE} SET locked_at = NULL, next_run_at = NULL, last_run_at = ${lastRun.sql}, last_finished_at = ${lastFinished.sql},
               progress = NULL, fail_reason = NULL, fail_count = NULL, failed_at = NULL, last_modified_by = ${lastBy.sql}, updated_at = ?
             WHERE ${batch.map(() => '(id = ? AND locked_at = ?)').join(' OR ')}`,
            [...lastRun.params, ...lastFinished.params, ...lastBy.params, Date.now(), ...batch.flatMap((f) => [f.id, f.claimedAt])],
          );
          for (const f of batch) f.resolve();
        } catch (err) {
          for (const f of batch) f.reject(err);
        }
      }
    } finally {
      this.finishing = false;
    }
  }

  /** Renews a claim that is still `claimedAt` to `now`; false if it expired and was taken over. */
  async renewClaim(id: string, claimedAt: number, now: number): Promise<boolean> {
    return this.tracked(async () => (await this.update(`UPDATE ${TABLE} SET locked_at = ?, updated_at = ? WHERE id = ? AND locked_at = ?`, [now, now, id, claimedAt])) === 1);
  }

  /** Hands back claims on jobs that were not started, so any worker can run them now. */
  async releaseClaims(claims: { id: string; claimedAt: number }[]): Promise<void> {
    if (claims.length === 0) return;
    await this.tracked(async () => {
      for (let i = 0; i < claims.length; i += 100) {
        const chunk = claims.slice(i, i + 100);
        await this.update(
          `UPDATE ${TABLE} SET locked_at = NULL WHERE ${chunk.map(() => '(id = ? AND locked_at = ?)').join(' OR ')}`,
          chunk.flatMap((c) => [c.id, c.claimedAt]),
        );
      }
    });
  }

  private async insert(cols: ReturnType<typeof definitionColumns> & { debounce_started_at?: number | null; unique_key?: string }, transaction?: Transaction): Promise<JobParameters> {
    const now = Date.now();
    return this.insertRow({ ...cols, created_at: now, updated_at: now }, transaction);
  }

  /** One plain INSERT (the hot path of scheduling: no model instance to build and validate). */
  private async insertRow(row: Record<string, unknown>, transaction?: Transaction): Promise<JobParameters> {
    const names = Object.keys(row);
    const [id] = (await this.sequelize.query(`INSERT INTO ${TABLE} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`, {
      replacements: Object.values(row),
      type: QueryTypes.INSERT,
      transaction,
    })) as unknown as [number | string, number];
    return rowToJob({ ...row, id });
  }

  /** every(): one row per name. A due nextRunAt already stored is kept, so a restart does not postpone it. */
  private async upsertSingle(job: JobParameters, cols: ReturnType<typeof definitionColumns>, outer?: Transaction): Promise<JobParameters> {
    const attempt = () =>
      this.within(outer, async (transaction) => {
        const [existing] = await this.select(`SELECT * FROM ${TABLE} WHERE single_name = ?${this.forUpdate()}`, [job.name], transaction);
        if (!existing) return this.insert(cols, transaction);
        const keepNextRun = job.nextRunAt && job.nextRunAt.getTime() <= Date.now() && existing.next_run_at !== null;
        const values = { ...cols, next_run_at: keepNextRun ? Number(existing.next_run_at) : cols.next_run_at };
        await this.update(`UPDATE ${TABLE} SET ${Object.keys(values).map((c) => `${c} = ?`).join(', ')}, updated_at = ? WHERE id = ?`, [...Object.values(values), Date.now(), existing.id], transaction);
        const [row] = await this.select(`SELECT * FROM ${TABLE} WHERE id = ?`, [existing.id], transaction);
        return rowToJob(row!);
      });
    try {
      return await attempt();
    } catch (err) {
      // Two processes inserted the same single job at once: the loser updates the winner's row.
      if (err instanceof UniqueConstraintError && !outer) return attempt();
      throw err;
    }
  }

  /** unique(): update the matching job (or leave it, with insertOnly), else insert; with debounce rules. */
  private async upsertUnique(job: JobParameters, cols: ReturnType<typeof definitionColumns>, outer?: Transaction): Promise<JobParameters> {
    // The fields that identify the job, written once as its unique_key: found by an index
    // lookup (name, unique_key) rather than by reading every job of the name.
    const parts: string[] = [];
    for (const [key, value] of Object.entries(job.unique ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (key.startsWith('data.')) {
        if (!/^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$/.test(key.slice(5))) throw new Error(`Invalid unique constraint field: "${key}"`);
      } else if (!UNIQUE_COLUMNS[key]) throw new Error(`Invalid unique constraint field: "${key}"`);
      parts.push(`${key}=${JSON.stringify(value instanceof Date ? value.getTime() : value)}`);
    }
    const joined = parts.join('&');
    const uniqueKey = joined.length <= 191 ? joined : `sha256:${createHash('sha256').update(joined).digest('hex')}`;
    const where: Where = { sql: ['name = ?', 'unique_key = ?'], params: [job.name, uniqueKey] };
    const keyed = { ...cols, unique_key: uniqueKey };
    const debounce = job.uniqueOpts?.debounce;
    return this.within(outer, async (transaction) => {
      // A waiting job first, then a finished one. A job under way (claimed) is never
      // rescheduled: its end would overwrite the new run time, losing the run asked for
      // now, so a new job is queued beside it.
      const [existing] = await this.select(
        `SELECT * FROM ${TABLE} WHERE ${where.sql.join(' AND ')}
          ORDER BY CASE WHEN locked_at IS NULL THEN 0 ELSE 1 END, CASE WHEN next_run_at IS NULL THEN 1 ELSE 0 END, id DESC LIMIT 1${this.forUpdate()}`,
        where.params,
        transaction,
      );
      const now = Date.now();
      if (!existing || (existing.locked_at ?? null) !== null) {
        if (!debounce) return this.insert(keyed, transaction);
        const nextRunAt = debounce.strategy === 'leading' ? cols.next_run_at : now + debounce.delay;
        return this.insert({ ...keyed, next_run_at: nextRunAt, debounce_started_at: now }, transaction);
      }
      if (job.uniqueOpts?.insertOnly && !debounce) return rowToJob(existing);
      let nextRunAt = cols.next_run_at;
      let debounceStartedAt: number | null = null;
      if (debounce) {
        const started = existing.debounce_started_at === null ? now : Number(existing.debounce_started_at);
        if (debounce.strategy === 'leading') {
          nextRunAt = existing.next_run_at === null ? null : Number(existing.next_run_at);
          debounceStartedAt = started;
        } else if (debounce.maxWait && now - started >= debounce.maxWait) {
          nextRunAt = now;
        } else {
          nextRunAt = now + debounce.delay;
          debounceStartedAt = started;
        }
      }
      const values = { ...keyed, next_run_at: nextRunAt, debounce_started_at: debounceStartedAt };
      await this.update(`UPDATE ${TABLE} SET ${Object.keys(values).map((c) => `${c} = ?`).join(', ')}, updated_at = ? WHERE id = ?`, [...Object.values(values), now, existing.id], transaction);
      // The row as written (under the lock taken above): no need to read it back.
      return rowToJob({ ...existing, ...values, updated_at: now });
    });
  }

  // ---- helpers ---------------------------------------------------------------------------

  private forUpdate(): string {
    return this.engine === 'mysql' ? ' FOR UPDATE' : '';
  }

  private within<T>(outer: Transaction | undefined, work: (t: Transaction) => Promise<T>): Promise<T> {
    return outer ? work(outer) : this.unitOfWork(work);
  }

  private add(where: Where, sql: string, param: unknown): void {
    where.sql.push(sql);
    where.params.push(param);
  }

  private addIn(where: Where, column: string, values: unknown[]): void {
    where.sql.push(`${column} IN (${values.map(() => '?').join(', ')})`);
    where.params.push(...values);
  }

  private filterOf(options: RemoveJobsOptions): Where | undefined {
    const where: Where = { sql: [], params: [] };
    if (options.id) this.add(where, 'id = ?', String(options.id));
    else if (options.ids?.length) this.addIn(where, 'id', options.ids.map(String));
    if (options.name) this.add(where, 'name = ?', options.name);
    else if (options.names?.length) this.addIn(where, 'name', options.names);
    else if (options.notNames?.length) {
      where.sql.push(`name NOT IN (${options.notNames.map(() => '?').join(', ')})`);
      where.params.push(...options.notNames);
    }
    if (options.data !== undefined) where.data = options.data;
    return where.sql.length > 0 || where.data !== undefined ? where : undefined;
  }

  private async rows(where: Where, orderBy = '', transaction?: Transaction): Promise<JobParameters[]> {
    const clause = where.sql.length > 0 ? `WHERE ${where.sql.join(' AND ')}` : '';
    const jobs = (await this.select(`SELECT * FROM ${TABLE} ${clause} ${orderBy}`, where.params, transaction)).map(rowToJob);
    return where.data === undefined ? jobs : jobs.filter((j) => containsData(j.data, where.data));
  }

  /** Applies `statement` (DELETE or UPDATE … SET) to the jobs the options select; with no criteria, to none. */
  private async changeMatching(options: RemoveJobsOptions, statement: string): Promise<number> {
    const where = this.filterOf(options);
    if (!where) return 0;
    if (where.data === undefined) {
      const type = statement.startsWith('DELETE') ? QueryTypes.BULKDELETE : QueryTypes.BULKUPDATE;
      return (await this.sequelize.query(`${statement} WHERE ${where.sql.join(' AND ')}`, { replacements: where.params, type })) as unknown as number;
    }
    return this.unitOfWork(async (transaction) => {
      const ids = (await this.rows(where, '', transaction)).map((j) => String(j._id));
      if (ids.length === 0) return 0;
      const type = statement.startsWith('DELETE') ? QueryTypes.BULKDELETE : QueryTypes.BULKUPDATE;
      return (await this.sequelize.query(`${statement} WHERE id IN (${ids.map(() => '?').join(', ')})`, { replacements: ids, type, transaction })) as unknown as number;
    });
  }

  private orderBy(sort: JobsSort | undefined): string {
    const parts = Object.entries(sort ?? {})
      .filter(([k]) => k in SORT_COLUMNS)
      .map(([k, dir]) => {
        const col = SORT_COLUMNS[k as keyof JobsSort];
        // NULLS LAST on both engines.
        return `(${col} IS NULL) ASC, ${col} ${dir === 'asc' ? 'ASC' : 'DESC'}`;
      });
    return `ORDER BY ${parts.length > 0 ? parts.join(', ') : '(next_run_at IS NULL) ASC, next_run_at DESC, (last_run_at IS NULL) ASC, last_run_at DESC'}`;
  }
}
