import { toJobId, type JobParameters } from 'agenda';

/** A raw `agenda_jobs` row as the drivers return it (BIGINTs may come back as strings). */
export type RawJobRow = Record<string, unknown>;

const ms = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const date = (v: unknown): Date | undefined => {
  const n = ms(v);
  return n === null ? undefined : new Date(n);
};
const bool = (v: unknown): boolean => v === true || v === 1 || v === '1';

export const toMs = (d: Date | null | undefined): number | null => (d instanceof Date ? d.getTime() : null);

/** Stored row → what Agenda works with. */
export function rowToJob(row: RawJobRow): JobParameters {
  const nextRunAt = ms(row.next_run_at);
  return {
    _id: toJobId(String(row.id)),
    name: String(row.name),
    priority: Number(row.priority),
    nextRunAt: nextRunAt === null ? null : new Date(nextRunAt),
    type: row.type === 'single' ? 'single' : 'normal',
    lockedAt: date(row.locked_at),
    lastRunAt: date(row.last_run_at),
    lastFinishedAt: date(row.last_finished_at),
    failedAt: date(row.failed_at),
    failCount: row.fail_count === null || row.fail_count === undefined ? undefined : Number(row.fail_count),
    failReason: (row.fail_reason as string | null) ?? undefined,
    repeatInterval: (row.repeat_interval as string | null) ?? undefined,
    repeatTimezone: (row.repeat_timezone as string | null) ?? undefined,
    repeatAt: (row.repeat_at as string | null) ?? undefined,
    data: row.data === null || row.data === undefined ? {} : JSON.parse(String(row.data)),
    disabled: bool(row.disabled),
    progress: row.progress === null || row.progress === undefined ? undefined : Number(row.progress),
    fork: bool(row.fork),
    lastModifiedBy: (row.last_modified_by as string | null) ?? undefined,
    debounceStartedAt: date(row.debounce_started_at),
    startDate: date(row.start_date),
    endDate: date(row.end_date),
    skipDays: row.skip_days ? (JSON.parse(String(row.skip_days)) as number[]) : undefined,
  };
}

/** The columns a save writes from a job's own definition (not its run state). */
export function definitionColumns(job: JobParameters, lastModifiedBy: string | undefined) {
  return {
    name: job.name,
    priority: job.priority ?? 0,
    next_run_at: toMs(job.nextRunAt),
    type: job.type ?? 'normal',
    single_name: job.type === 'single' ? job.name : null,
    repeat_interval: job.repeatInterval === undefined || job.repeatInterval === null ? null : String(job.repeatInterval),
    repeat_timezone: job.repeatTimezone ?? null,
    repeat_at: job.repeatAt ?? null,
    data: job.data === undefined ? null : JSON.stringify(job.data),
    disabled: job.disabled ?? false,
    fork: job.fork ?? false,
    last_modified_by: lastModifiedBy ?? null,
    start_date: toMs(job.startDate),
    end_date: toMs(job.endDate),
    skip_days: job.skipDays ? JSON.stringify(job.skipDays) : null,
  };
}

/** Does `value` contain everything in `pattern` (objects compared key by key, recursively)? */
export function containsData(value: unknown, pattern: unknown): boolean {
  if (pattern === null || typeof pattern !== 'object') return value === pattern;
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(pattern)) {
    return Array.isArray(value) && pattern.every((p) => value.some((v) => containsData(v, p)));
  }
  return Object.entries(pattern).every(([k, p]) => containsData((value as Record<string, unknown>)[k], p));
}
