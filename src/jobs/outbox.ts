import type { Coalesce, Outbox, WorkName } from '../domain/domain-context.ts';
import type { Sequelize } from 'sequelize';
import type { Jobs } from './agenda.ts';
import type { JobDefinition } from './define-job.ts';
import { SequelizeBackend, scheduleInTransaction } from './sequelize-backend/index.ts';

/**
 * The domain's Outbox, written as jobs in the caller's transaction. The jobs it writes run
 * with contexts that hold this outbox, so it takes them once they exist (`jobs()`), before
 * anything is added.
 */
export function createOutbox(jobs: () => Jobs, definitions: JobDefinition[]): Outbox {
  const byName = new Map(definitions.map((d) => [d.name, d]));
  return {
    async add(transaction, work: WorkName, payload, opts) {
      const definition = byName.get(work);
      if (!definition) throw new Error(`no job is defined for ${work}`);
      await jobs().scheduleInTransaction(transaction, definition, payload, { runAt: opts?.runAt, ...uniqueOf(payload, opts?.coalesce) });
    },
  };
}

/**
 * An Outbox for a process that runs no jobs itself (the operator commands): the work is
 * written as job rows in the caller's transaction, and a running Helpnet server picks it up
 * at its next poll (none running: when one starts).
 */
export function createDeferredOutbox(sequelize: Sequelize, definitions: JobDefinition[], workerName = `helpnet-cli:${process.pid}`): Outbox {
  const byName = new Map(definitions.map((d) => [d.name, d]));
  const backend = new SequelizeBackend(sequelize);
  return {
    async add(transaction, work: WorkName, payload, opts) {
      const definition = byName.get(work);
      if (!definition) throw new Error(`no job is defined for ${work}`);
      const data = definition.payload.parse(payload) as unknown;
      await scheduleInTransaction(backend, transaction, { name: definition.name, data, runAt: opts?.runAt, priority: definition.options?.priority ?? 0, ...uniqueOf(payload, opts?.coalesce) }, workerName);
    },
  };
}

/** The job store's `unique` (and debounce) for a coalesced job: one per value of the payload field. */
function uniqueOf(payload: Record<string, unknown>, coalesce: Coalesce | undefined): { unique?: Record<string, unknown>; uniqueOpts?: { debounce?: { delay: number; maxWait?: number } } } {
  if (!coalesce) return {};
  if (!/^[A-Za-z0-9_]+$/.test(coalesce.by) || payload[coalesce.by] === undefined) throw new Error(`cannot coalesce on payload field ${coalesce.by}`);
  const debounce = coalesce.debounceMs ? { delay: coalesce.debounceMs, ...(coalesce.maxWaitMs ? { maxWait: coalesce.maxWaitMs } : {}) } : undefined;
  return { unique: { [`data.${coalesce.by}`]: payload[coalesce.by] }, ...(debounce ? { uniqueOpts: { debounce } } : {}) };
}
