import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRouting, type Routing } from '../../src/config/routing.ts';
import type { Database } from '../../src/db/database.ts';
import type { Category, Customer, Expert } from '../../src/db/models/index.ts';
import { correctPayout } from '../../src/domain/money/correct-payout.ts';
import { writeStatements } from '../../src/domain/money/write-statements.ts';
import { jobDefinitions } from '../../src/jobs/definitions/index.ts';
import { writeStatementsJob } from '../../src/jobs/definitions/write-statements.ts';
import { jobContext } from '../support/job-context.ts';
import { createCategory, createCustomer, createExpert, createTicket } from '../support/factories.ts';
import { openTestDatabase, TEST_ENGINE } from '../support/test-database.ts';
import { testRouting } from '../support/test-routing.ts';

const d = (iso: string) => new Date(iso);

describe(`statements (${TEST_ENGINE})`, () => {
  let db: Database;
  let close: () => Promise<void>;
  let category: Category;
  let customer: Customer;
  const monthly = parseRouting(JSON.stringify(testRouting()), 'test routing');
  const weekly = parseRouting(JSON.stringify({ ...testRouting(), statements: { every: 'week' } }), 'test routing');
  const write = (now: string, routing: Routing = monthly) => writeStatements({ db, routing, now: () => d(now) });

  beforeAll(async () => {
    ({ db, close } = await openTestDatabase());
    category = await createCategory();
    customer = await createCustomer();
  });
  afterAll(() => close());

  /** A closed ticket's fee for `expert`, as if closed at `at`. */
  const fee = async (expert: Expert, at: string, amountMinor: number, currency = 'USD') => {
    const ticket = await createTicket({ category, customer });
    return db.unitOfWork((transaction) =>
      db.money.addFee({ expertId: expert.id, ticketId: ticket.id, categoryId: category.id, kind: 'fee', solved: amountMinor > 0, multiplier: amountMinor > 0 ? 1 : 0, amountMinor, currency, occurredAt: d(at) }, { transaction, now: d(at) }),
    );
  };
  const allStatements = async () => (await db.models.Statement.findAll({ order: [['id', 'ASC']], raw: true })).map((s) => ({ ...s, amountMinor: Number(s.amountMinor) }));

  it('writes one statement per expert for each ended month, catching up, and nothing for experts without entries', async () => {
    const alice = await createExpert({ name: 'Alice' });
    const bob = await createExpert({ name: 'Bob' });
    await createExpert({ name: 'Idle' });
    await fee(alice, '2026-09-10T08:00:00Z', 3000);
    await fee(alice, '2026-10-02T08:00:00Z', 3750);
    await fee(alice, '2026-10-31T23:59:59.999Z', 0);
    await fee(bob, '2026-10-15T08:00:00Z', 2500);
    await fee(bob, '2026-11-03T08:00:00Z', 2500); // November has not ended: not yet

    // Down since September: on 5 November, September and October are both written.
    expect(await write('2026-11-05T10:00:00Z')).toEqual([
      { period: '2026-09', statements: 1 },
      { period: '2026-10', statements: 2 },
    ]);
    const sep = await db.money.statementsOf('2026-09');
    expect(sep).toMatchObject([{ expertId: alice.id, tickets: 1, amountMinor: 3000, currency: 'USD', periodStart: d('2026-09-01T00:00:00Z'), periodEnd: d('2026-10-01T00:00:00Z') }]);
    const oct = await db.money.statementsOf('2026-10');
    expect(oct.map((s) => [s.expertId, s.tickets, s.amountMinor])).toEqual([
      [alice.id, 2, 3750],
      [bob.id, 1, 2500],
    ]);
    // Each statement's total is the sum of the entries it took.
    for (const s of [...sep, ...oct]) {
      const fees = await db.money.feesOfStatement(s.id);
      expect(fees.reduce((sum, f) => sum + f.amountMinor, 0)).toBe(s.amountMinor);
      expect(fees.filter((f) => f.kind === 'fee')).toHaveLength(s.tickets);
      for (const f of fees) expect(f.occurredAt.getTime()).toBeLessThan(s.periodEnd.getTime());
    }
    expect(Number.isInteger(oct[0]!.amountMinor)).toBe(true);
  });

  it('never changes a written statement: running again, late fees and corrections go on the next one', async () => {
    const before = await allStatements();
    expect(await write('2026-11-05T11:00:00Z')).toEqual([]);
    expect(await write('2026-11-05T12:00:00Z')).toEqual([]);
    // The hourly job, registered with the others, runs the same use case.
    expect(jobDefinitions).toContain(writeStatementsJob);
    await writeStatementsJob.handler({ ...jobContext(db), now: () => d('2026-11-05T13:00:00Z') }, {}, undefined as never);
    expect(await allStatements()).toEqual(before);

    const alice = (await db.models.Expert.findOne({ where: { name: 'Alice' } }))!;
    // A fee committed late, dated in October (already written), and a correction.
    await fee(alice, '2026-10-20T09:00:00Z', 999);
    await alice.update({ slackUserId: 'U0ALICE777' });
    expect(await correctPayout({ db, routing: monthly, now: () => d('2026-11-10T09:00:00Z') }, { slackUserId: 'U0ALICE777', amountMinor: -1250, note: 'HN-1 paid twice' })).toMatchObject({ outcome: 'written' });
    expect(await write('2026-11-20T00:00:00Z')).toEqual([]);
    expect(await allStatements()).toEqual(before);

    expect(await write('2026-12-01T00:00:00Z')).toEqual([{ period: '2026-11', statements: 2 }]);
    expect(await allStatements()).toEqual(expect.arrayContaining(before));
    expect((await allStatements()).slice(0, before.length)).toEqual(before);
    const nov = await db.money.statementsOf('2026-11');
    const aliceNov = nov.find((s) => s.expertId === alice.id)!;
    // The late October fee and the correction: 9.99 − 12.50; the correction is not a ticket.
    expect(aliceNov).toMatchObject({ tickets: 1, amountMinor: 999 - 1250 });
    const fees = await db.money.feesOfStatement(aliceNov.id);
    expect(fees.map((f) => f.kind).sort()).toEqual(['correction', 'fee']);
    expect(fees.find((f) => f.kind === 'correction')).toMatchObject({ ticketId: null, note: 'HN-1 paid twice', amountMinor: -1250 });
  });

  it('a statement per currency, and weekly periods when configured', async () => {
    const carol = await createExpert({ name: 'Carol' });
    await fee(carol, '2026-12-01T10:00:00Z', 1000, 'USD');
    await fee(carol, '2026-12-02T10:00:00Z', 2000, 'EUR');
    await fee(carol, '2026-12-08T10:00:00Z', 500, 'USD');
    // Weeks from where the months left off (1 December is a Tuesday: week 49 began on 30 November).
    expect(await write('2026-12-09T00:00:00Z', weekly)).toEqual([{ period: '2026-W49', statements: 2 }]);
    const w49 = await db.money.statementsOf('2026-W49');
    expect(w49.map((s) => [s.currency, s.amountMinor, s.tickets])).toEqual([
      ['EUR', 2000, 1],
      ['USD', 1000, 1],
    ]);
    expect(w49[0]).toMatchObject({ periodStart: d('2026-11-30T00:00:00Z'), periodEnd: d('2026-12-07T00:00:00Z') });
    expect(await write('2026-12-14T00:00:00Z', weekly)).toEqual([{ period: '2026-W50', statements: 1 }]);
  });

  it('takes each fee once when two writers race for a period', async () => {
    const dave = await createExpert({ name: 'Dave' });
    for (let i = 0; i < 5; i++) await fee(dave, `2026-12-15T1${i}:00:00Z`, 100 * (i + 1));
    const results = await Promise.allSettled([write('2026-12-21T00:00:00Z', weekly), write('2026-12-21T00:00:00Z', weekly)]);
    const ok = results.filter((r) => r.status === 'fulfilled').map((r) => (r as PromiseFulfilledResult<unknown>).value);
    expect(ok.flat()).toContainEqual({ period: '2026-W51', statements: 1 });
    const [s] = await db.money.statementsOf('2026-W51');
    expect(s).toMatchObject({ expertId: dave.id, tickets: 5, amountMinor: 1500 });
    expect(await db.models.ExpertFee.count({ where: { expertId: dave.id, statementId: s!.id } })).toBe(5);
  });
});
