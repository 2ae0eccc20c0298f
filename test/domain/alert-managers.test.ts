import { randomUUID } from 'node:crypto';
import { QueryTypes } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertManagers, type ManagersAlert } from '../../src/domain/alerts/alert-managers.ts';
import { startTestApp, type TestApp } from '../support/start-test-app.ts';
import { statementsDuring } from '../support/statements.ts';
import { TEST_ENGINE } from '../support/test-database.ts';
import { sleep, waitFor } from '../support/wait-for.ts';

describe(`alerting the managers once per key (${TEST_ENGINE})`, () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  const managersPosts = (text: string) => app.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === 'C0MGRS001' && c.status === 200 && String(c.args.text).includes(text));
  const notice = (text: string): ManagersAlert => ({ kind: 'notice', text });

  it('alerts once, however many callers ask at the same time', async () => {
    const ctx = app.server.services;
    const onceKey = `test:${randomUUID()}`;
    const outcomes = await Promise.all(Array.from({ length: 8 }, (_, i) => ctx.db.unitOfWork((transaction) => alertManagers(ctx, transaction, onceKey, notice(`Asked at once (${i})`), { caller: i }))));
    expect(outcomes.filter((alerted) => alerted)).toHaveLength(1);
    const rows = await ctx.db.models.ManagerAlert.findAll({ where: { onceKey } });
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0]!.about)).toMatchObject({ alert: 'notice', caller: expect.any(Number) });
    await waitFor(() => managersPosts('Asked at once').length > 0, 'the alert posted');
    await sleep(500);
    expect(managersPosts('Asked at once')).toHaveLength(1);
    // Asked again later: still not again.
    expect(await ctx.db.unitOfWork((transaction) => alertManagers(ctx, transaction, onceKey, notice('Asked at once (later)'), {}))).toBe(false);
  });

  it('leaves the transaction of a caller that lost the race usable', async () => {
    const ctx = app.server.services;
    const { db } = ctx;
    const onceKey = `test:${randomUUID()}`;
    let release!: () => void;
    const gate = new Promise<void>((ok) => (release = ok));
    let tookKey!: () => void;
    const firstTook = new Promise<void>((ok) => (tookKey = ok));
    const { result, statements } = await statementsDuring(db.sequelize, 'ROLLBACK TO SAVEPOINT', async () => {
      const first = db.unitOfWork(async (transaction) => {
        const alerted = await alertManagers(ctx, transaction, onceKey, notice('First of the race'), {});
        tookKey();
        await gate;
        return alerted;
      });
      await firstTook;
      const second = db.unitOfWork(async (transaction) => {
        const alerted = await alertManagers(ctx, transaction, onceKey, notice('Second of the race'), {});
        // The transaction goes on after losing: what it writes next is committed.
        const [customerId] = await db.sql.insert(db.models.Customer, [{ name: 'Written after losing the race' }], { transaction });
        return { alerted, customerId: customerId! };
      });
      // On MariaDB the second waits on the first's uncommitted key; on SQLite for its turn.
      if (TEST_ENGINE === 'mysql') {
        await waitFor(async () => {
          const [row] = await db.sequelize.query<{ n: number }>("SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE INFO LIKE 'INSERT INTO `manager_alerts`%'", { type: QueryTypes.SELECT });
          return Number(row?.n) > 0;
        }, 'the second caller waiting on the key');
      }
      release();
      return { first: await first, second: await second };
    });
    expect(result.first).toBe(true);
    expect(result.second.alerted).toBe(false);
    expect(await db.models.Customer.findByPk(result.second.customerId)).not.toBeNull();
    // On MariaDB the loser's insert did reach the unique index (on SQLite transactions take turns, so it read the key instead).
    expect(statements).toHaveLength(TEST_ENGINE === 'mysql' ? 1 : 0);
    expect(await db.models.ManagerAlert.count({ where: { onceKey } })).toBe(1);
  });
});
