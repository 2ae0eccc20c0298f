import type { Sequelize, Transaction } from 'sequelize';

type BeforeHook = () => Promise<void>;
type AfterHook = () => void;
const before = new WeakMap<Transaction, BeforeHook[]>();
const after = new WeakMap<Transaction, AfterHook[]>();

const push = <H>(hooks: WeakMap<Transaction, H[]>, transaction: Transaction, hook: H) => {
  const list = hooks.get(transaction);
  if (list) list.push(hook);
  else hooks.set(transaction, [hook]);
};

/**
 * Runs `hook` in `transaction` after the rest of its work and just before it commits (a
 * managed transaction: `sequelize.transaction(async (t) => …)`). Work that many statements
 * of a transaction add to — the jobs it queues — is written then, in one statement. A hook
 * that throws rolls the transaction back, as any failing statement does.
 */
export function beforeCommit(transaction: Transaction, hook: BeforeHook): void {
  push(before, transaction, hook);
}

/**
 * Runs `hook` once `transaction` (a managed one) has committed, and not at all if it did not.
 * Sequelize's own `afterCommit` also runs its hooks when the COMMIT fails.
 */
export function afterCommit(transaction: Transaction, hook: AfterHook): void {
  push(after, transaction, hook);
}

async function runBeforeHooks(transaction: Transaction): Promise<void> {
  // A hook may add another (a job written while writing jobs): run until none are left.
  for (let list = before.get(transaction); list && list.length > 0; list = before.get(transaction)) {
    before.delete(transaction);
    for (const hook of list) await hook();
  }
}

/** Makes `sequelize`'s managed transactions run their commit hooks; install before other wrappers. */
export function runCommitHooks(sequelize: Sequelize, onHookError: (err: unknown) => void = () => {}): void {
  const original = sequelize.transaction.bind(sequelize) as (...args: unknown[]) => Promise<unknown>;
  (sequelize as unknown as { transaction: (...args: unknown[]) => Promise<unknown> }).transaction = async (...args: unknown[]) => {
    const i = args.findIndex((a) => typeof a === 'function');
    if (i < 0) return original(...args); // unmanaged: the caller commits, and hooks are not offered
    const work = args[i] as (t: Transaction) => Promise<unknown>;
    let used: Transaction | undefined;
    const withHooks = async (transaction: Transaction) => {
      used = transaction;
      const result = await work(transaction);
      await runBeforeHooks(transaction);
      return result;
    };
    const result = await original(...args.slice(0, i), withHooks, ...args.slice(i + 1));
    // Committed: what waited for that now runs; a failing hook must not undo the caller's success.
    for (const hook of (used && after.get(used)) ?? []) {
      try {
        hook();
      } catch (err) {
        onHookError(err);
      }
    }
    if (used) after.delete(used);
    return result;
  };
}
