import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { afterCommit, beforeCommit } from '../../src/db/unit-of-work.ts';
import type { Database } from '../../src/db/database.ts';
import { createCustomer } from '../support/factories.ts';
import { openTestDatabase, TEST_ENGINE } from '../support/test-database.ts';

describe(`a unit of work: work run just before, and after, its transaction commits (${TEST_ENGINE})`, () => {
  let db: Database;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ db, close } = await openTestDatabase());
  });
  afterAll(async () => close());

  const nameOf = async (id: number) => (await db.models.Customer.findByPk(id))?.name;

  it('runs the hooks in order, after the rest of the work, inside the transaction', async () => {
    const customer = await createCustomer({ name: 'before' });
    const order: string[] = [];
    await db.unitOfWork(async (transaction) => {
      beforeCommit(transaction, async () => {
        order.push('first hook');
        await db.models.Customer.update({ name: 'from the hook' }, { where: { id: customer.id }, transaction });
        // A hook may add another: it runs too, before the commit.
        beforeCommit(transaction, async () => {
          order.push('hook added by a hook');
        });
      });
      beforeCommit(transaction, async () => {
        order.push('second hook');
      });
      order.push('work');
    });
    expect(order).toEqual(['work', 'first hook', 'second hook', 'hook added by a hook']);
    expect(await nameOf(customer.id)).toBe('from the hook');
  });

  it('rolls everything back when a hook fails, and runs no hook of a transaction that failed', async () => {
    const customer = await createCustomer({ name: 'kept' });
    await expect(
      db.unitOfWork(async (transaction) => {
        await db.models.Customer.update({ name: 'changed' }, { where: { id: customer.id }, transaction });
        beforeCommit(transaction, async () => {
          throw new Error('hook failed');
        });
      }),
    ).rejects.toThrow('hook failed');
    expect(await nameOf(customer.id)).toBe('kept');

    let ran = false;
    await expect(
      db.unitOfWork(async (transaction) => {
        beforeCommit(transaction, async () => {
          ran = true;
        });
        throw new Error('work failed');
      }),
    ).rejects.toThrow('work failed');
    expect(ran).toBe(false);
  });

  it('runs the after-commit hooks once the transaction has committed, and never for one that failed', async () => {
    const customer = await createCustomer({ name: 'seen' });
    const seen: (string | undefined)[] = [];
    await db.unitOfWork(async (transaction) => {
      await db.models.Customer.update({ name: 'committed' }, { where: { id: customer.id }, transaction });
      afterCommit(transaction, () => {
        // Another connection sees the change by now.
        void nameOf(customer.id).then((name) => seen.push(name ?? undefined));
      });
      expect(seen).toEqual([]);
    });
    await new Promise((ok) => setTimeout(ok, 100));
    expect(seen).toEqual(['committed']);

    let ran = 0;
    await expect(
      db.unitOfWork(async (transaction) => {
        afterCommit(transaction, () => ran++);
        throw new Error('work failed');
      }),
    ).rejects.toThrow('work failed');
    await expect(
      db.unitOfWork(async (transaction) => {
        afterCommit(transaction, () => ran++);
        beforeCommit(transaction, async () => {
          throw new Error('hook failed');
        });
      }),
    ).rejects.toThrow('hook failed');
    expect(ran).toBe(0);
  });

  it('refuses commit hooks on a transaction that is not a unit of work, so queued work is never dropped', async () => {
    const transaction = await db.sequelize.transaction();
    try {
      expect(() => beforeCommit(transaction, async () => undefined)).toThrow(/unit of work/);
      expect(() => afterCommit(transaction, () => undefined)).toThrow(/unit of work/);
    } finally {
      await transaction.rollback();
    }
  });

  it('runs concurrent units of work each to completion, none losing the write of another', async () => {
    const customer = await createCustomer({ name: '0' });
    // Each reads and writes back in two statements with a pause between: interleaved, updates would be lost.
    await Promise.all(
      Array.from({ length: 10 }, () =>
        db.unitOfWork(async (transaction) => {
          const row = await db.models.Customer.findByPk(customer.id, { transaction, lock: transaction.LOCK.UPDATE });
          await new Promise((ok) => setTimeout(ok, 5));
          await row!.update({ name: String(Number(row!.name) + 1) }, { transaction });
        }),
      ),
    );
    expect(await nameOf(customer.id)).toBe('10');
  });

  it('keeps going while a write outside any unit of work arrives: it waits for its turn, not in SQLite', async () => {
    const [inUnit, other] = await Promise.all([createCustomer({ name: 'unit' }), createCustomer({ name: 'lone' })]);
    const started = Date.now();
    let lone: Promise<unknown> | undefined;
    let holding: () => void = () => undefined;
    const held = new Promise<void>((ok) => (holding = ok));
    // A job recording its outcome, say, while the unit below holds SQLite's write lock…
    void held.then(() => (lone = db.models.Customer.update({ name: 'lone write' }, { where: { id: other!.id } })));
    await db.unitOfWork(async (transaction) => {
      await db.models.Customer.update({ name: 'unit 1' }, { where: { id: inUnit!.id }, transaction });
      holding();
      await new Promise((ok) => setTimeout(ok, 50));
      // …and a read this unit makes on the connection outside it (a cached lookup refreshed).
      // Sent to SQLite, the write sat in the busy handler for its 30 s, with that read
      // queued behind it on the same connection, and this unit waiting on the read.
      // (On SQLite the lone write has not happened yet; on MariaDB it may have: another row.)
      expect(['lone', 'lone write']).toContain(await nameOf(other!.id));
      await db.models.Customer.update({ name: 'unit 2' }, { where: { id: inUnit!.id }, transaction });
    });
    await lone;
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await nameOf(inUnit!.id)).toBe('unit 2');
    expect(await nameOf(other!.id)).toBe('lone write');
  }, 90_000);
});
