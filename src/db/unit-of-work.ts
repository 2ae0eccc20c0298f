import { AsyncLocalStorage } from 'node:async_hooks';
import type { Sequelize, Transaction } from 'sequelize';
import { retryOnDeadlock } from './retry-deadlock.ts';

/**
 * Runs `work` in one transaction and does, visibly from the call site, what every write
 * path needs around it:
 * - the work written in it for later (the jobs it queues, see beforeCommit) is written just
 *   before it commits, in one statement;
 * - what waits for the commit (see afterCommit) runs once it has committed, and never if it
 *   did not;
 * - on MariaDB/MySQL, a transaction InnoDB rolled back to break a deadlock runs again (its
 *   work only touches the database, so running it again is safe);
 * - on SQLite, this process's transactions take turns, first come first served (SQLite has
 *   one writer, and its busy handler is not a queue: under load a waiting transaction can
 *   lose the race again and again until it times out). A unit of work must therefore not
 *   start another. A lone write outside any unit of work (a job's state, a delivery marked
 *   sent) takes a turn too (see writesTakeTurns).
 */
export type UnitOfWork = <T>(work: (transaction: Transaction) => Promise<T>) => Promise<T>;

type BeforeHook = () => Promise<void>;
type AfterHook = () => void;
const before = new WeakMap<Transaction, BeforeHook[]>();
const after = new WeakMap<Transaction, AfterHook[]>();
const unitsOfWork = new WeakMap<Sequelize, UnitOfWork>();

/** The unit of work of `sequelize`: one per instance, since SQLite's turns are taken per instance. */
export function unitOfWorkFor(sequelize: Sequelize): UnitOfWork {
  let unit = unitsOfWork.get(sequelize);
  if (!unit) {
    if (sequelize.getDialect() === 'sqlite') {
      const turns = new Turns();
      writesTakeTurns(sequelize, turns);
      const run = runUnit(sequelize);
      unit = (work) => turns.take(() => run(work));
    } else unit = (work) => retryOnDeadlock(() => runUnit(sequelize)(work));
    unitsOfWork.set(sequelize, unit);
  }
  return unit;
}

/**
 * Runs `hook` in `transaction` after the rest of its work and just before it commits. Work
 * that many statements of a transaction add to — the jobs it queues — is written then, in
 * one statement. A hook that throws rolls the transaction back, as any failing statement
 * does. Only a unit of work's transaction runs these hooks: any other is refused, so that
 * queued work is never silently dropped.
 */
export function beforeCommit(transaction: Transaction, hook: BeforeHook): void {
  push(before, transaction, hook);
}

/** Runs `hook` once `transaction` (a unit of work's) has committed, and not at all if it did not. */
export function afterCommit(transaction: Transaction, hook: AfterHook): void {
  push(after, transaction, hook);
}

function push<H>(hooks: WeakMap<Transaction, H[]>, transaction: Transaction, hook: H): void {
  const list = hooks.get(transaction);
  if (!list) throw new Error('commit hooks run only in a unit of work (db.unitOfWork), not in a transaction opened otherwise');
  list.push(hook);
}

function runUnit(sequelize: Sequelize): UnitOfWork {
  return async <T>(work: (transaction: Transaction) => Promise<T>): Promise<T> => {
    let used: Transaction | undefined;
    try {
      const result = await sequelize.transaction(async (transaction) => {
        used = transaction;
        before.set(transaction, []);
        after.set(transaction, []);
        const value = await work(transaction);
        await runBeforeHooks(transaction);
        return value;
      });
      // Committed: what waited for that now runs; a failing hook must not undo the caller's success.
      for (const hook of after.get(used!) ?? []) {
        try {
          hook();
        } catch (err) {
          process.emitWarning(err instanceof Error ? err : new Error(String(err)), 'AfterCommitHookWarning');
        }
      }
      return result;
    } finally {
      if (used) {
        before.delete(used);
        after.delete(used);
      }
    }
  };
}

async function runBeforeHooks(transaction: Transaction): Promise<void> {
  // A hook may add another (a job written while writing jobs): run until none are left.
  for (let list = before.get(transaction)!; list.length > 0; list = before.get(transaction)!) {
    before.set(transaction, []);
    for (const hook of list) await hook();
  }
}

/** A process's turns at SQLite's one writer: first come, first served. */
class Turns {
  private tail: Promise<unknown> = Promise.resolve();
  /** Whether the code running now is inside a turn (still held). */
  private readonly holding = new AsyncLocalStorage<{ held: boolean }>();

  take<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(() => {
      const turn = { held: true };
      return this.holding.run(turn, () => fn()).finally(() => (turn.held = false));
    });
    this.tail = run.catch(() => undefined);
    return run;
  }

  get inside(): boolean {
    return this.holding.getStore()?.held === true;
  }
}

const WRITE = /^\s*(INSERT|UPDATE|DELETE|REPLACE)\b/i;

/**
 * On SQLite, a write sent outside any transaction while a unit of work holds the write
 * lock waits in SQLite's busy handler — on one of libuv's four threads, which it keeps
 * while it sleeps. Four such writes (jobs recording their outcome as a survey closes a
 * ticket) took every thread, so the unit of work holding the lock could not run its next
 * statement: the process stood still until the busy timeouts ran out, one after the other.
 * So a lone write waits for its turn like a unit of work, in this process's queue, and never
 * sleeps on a thread. (Inside a turn it runs at once: waiting would be waiting on itself.)
 */
function writesTakeTurns(sequelize: Sequelize, turns: Turns): void {
  const query = sequelize.query.bind(sequelize) as (sql: unknown, options?: { transaction?: unknown }) => Promise<unknown>;
  (sequelize as unknown as { query: typeof query }).query = (sql, options) => {
    const text = typeof sql === 'string' ? sql : ((sql as { query?: string } | undefined)?.query ?? '');
    if (options?.transaction || turns.inside || !WRITE.test(text)) return query(sql, options);
    return turns.take(() => query(sql, options));
  };
}
