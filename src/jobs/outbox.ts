import type { Outbox, WorkName } from '../domain/domain-context.ts';
import type { Jobs } from './agenda.ts';
import type { JobDefinition } from './define-job.ts';

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
      await jobs().scheduleInTransaction(transaction, definition, payload, opts);
    },
  };
}
