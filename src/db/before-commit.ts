import type { Sequelize, Transaction } from 'sequelize';

type Hook = () => Promise<void>;
const hooks = new WeakMap<Transaction, Hook[]>();

/**
 * Runs `hook` in `transaction` after the rest of its work and just before it commits (a
 * managed transaction: `sequelize.transaction(async (t) => …)`). Work that many statements
 * of a transaction add to — the jobs it queues — is written then, in one statement. A hook
 * that throws rolls the transaction back, as any failing statement does.
 */
export function beforeCommit(transaction: Transaction, hook: Hook): void {
  const list = hooks.get(transaction);
  if (list) list.push(hook);
  else hooks.set(transaction, [hook]);
}

async function runHooks(transaction: Transaction): Promise<void> {
  // A hook may add another (a job written while writing jobs): run until none are left.
  for (let list = hooks.get(transaction); list && list.length > 0; list = hooks.get(transaction)) {
    hooks.delete(transaction);
    for (const hook of list) await hook();
  }
}

/** Makes `sequelize`'s managed transactions run their beforeCommit hooks; install before other wrappers. */
export function runBeforeCommitHooks(sequelize: Sequelize): void {
  const original = sequelize.transaction.bind(sequelize) as (...args: unknown[]) => Promise<unknown>;
  (sequelize as unknown as { transaction: (...args: unknown[]) => Promise<unknown> }).transaction = (...args: unknown[]) => {
    const i = args.findIndex((a) => typeof a === 'function');
    if (i < 0) return original(...args); // unmanaged: the caller commits, and hooks are not offered
    const work = args[i] as (t: Transaction) => Promise<unknown>;
    const withHooks = async (transaction: Transaction) => {
      const result = await work(transaction);
      await runHooks(transaction);
      return result;
    };
    return original(...args.slice(0, i), withHooks, ...args.slice(i + 1));
  };
}
