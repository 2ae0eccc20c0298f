import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRouting } from '../../src/config/routing.ts';
import { openDatabase, type Database } from '../../src/db/database.ts';
import type { Category, Expert } from '../../src/db/models/index.ts';
import { formatMajor } from '../../src/domain/money/rules.ts';
import { writeStatements } from '../../src/domain/money/write-statements.ts';
import { createCategory, createCustomer, createExpert, createTicket } from '../support/factories.ts';
import { cliWorkspace, type CliWorkspace } from '../support/cli-workspace.ts';
import { TEST_ENGINE } from '../support/test-database.ts';
import { testRouting } from '../support/test-routing.ts';

const d = (iso: string) => new Date(iso);

// Each test starts the CLI, some several at once: slow on a busy machine.
describe(`npm run helpnet -- export / payouts correct (${TEST_ENGINE})`, { timeout: 120_000 }, () => {
  let cli: CliWorkspace;
  let dir: string;
  let db: Database;
  let category: Category;
  let alice: Expert;
  let bob: Expert;

  const helpnet = (args: string[], extraEnv: Record<string, string> = {}) => cli.helpnet(args, extraEnv);

  /** A ticket closed at `at`: its billing entry and its expert's fee. */
  const closed = async (o: { expert: Expert; at: string; fee: number; bill: number; customer?: { name: string; email: string } }) => {
    const customer = await createCustomer(o.customer ?? {});
    const ticket = await createTicket({ category, customer, status: 'closed', closedAt: d(o.at), expertId: o.expert.id });
    await db.unitOfWork(async (transaction) => {
      const opts = { transaction, now: d(o.at) };
      await db.money.addBillingEntry({ ticketId: ticket.id, customerId: customer.id, categoryId: category.id, amountMinor: o.bill, currency: 'USD', occurredAt: d(o.at) }, opts);
      await db.money.addFee({ expertId: o.expert.id, ticketId: ticket.id, categoryId: category.id, kind: 'fee', solved: o.fee > 0, multiplier: 1, amountMinor: o.fee, currency: 'USD', occurredAt: d(o.at) }, opts);
    });
    return ticket;
  };

  beforeAll(async () => {
    cli = await cliWorkspace('money');
    dir = cli.dir;
    db = await openDatabase(cli.database.url);
    writeFileSync(join(dir, 'weekly.yml'), stringify({ ...testRouting(), statements: { every: 'week' } }));
    category = await createCategory({ key: 'ms-exchange-x' });
    alice = await createExpert({ slackUserId: 'U0ALICE001', name: 'Alice, "the" Admin' });
    bob = await createExpert({ slackUserId: 'U0BOB0001', name: '=HYPERLINK("http://evil.example","Bob")' });
    await closed({ expert: alice, at: '2026-10-03T09:15:00.250Z', fee: 3000, bill: 4000, customer: { name: 'Carol, Customer', email: 'carol@customer.example' } });
    await closed({ expert: alice, at: '2026-10-30T17:00:00Z', fee: 3750, bill: 3999, customer: { name: '@Dan\nMultiline', email: 'dan@customer.example' } });
    await closed({ expert: bob, at: '2026-10-31T23:59:59.999Z', fee: 0, bill: 4000, customer: { name: '-1+2', email: '+dan@customer.example' } });
    await closed({ expert: bob, at: '2026-11-01T00:00:00Z', fee: 1999, bill: 3999 });
    // October's statements written on 1 November; November's not yet.
    await writeStatements({ db, routing: parseRouting(JSON.stringify(testRouting()), 'test'), now: () => d('2026-11-01T01:00:00Z') });
  });
  afterAll(async () => {
    await db?.close();
    await cli?.database.drop();
  });

  it('exports the payouts of a written month from its statements, as CSV that parses back to the same figures', async () => {
    const { code, out, err } = await helpnet(['export', 'payouts', '--period', '2026-10']);
    expect(err).toBe('');
    expect(code).toBe(0);
    const rows = parse(out, { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual(['slack_user_id', 'name', 'tickets', 'amount', 'currency']);
    const statements = await db.money.statementsOf('2026-10');
    expect(statements).toHaveLength(2);
    const byExpert = new Map([
      [alice.slackUserId, alice.id],
      [bob.slackUserId, bob.id],
    ]);
    for (const row of rows) {
      const s = statements.find((st) => st.expertId === byExpert.get(row.slack_user_id!))!;
      expect(row).toMatchObject({ tickets: String(s.tickets), amount: formatMajor(s.amountMinor), currency: s.currency });
    }
    expect(rows).toEqual([
      // Sorted by name: Bob's name starts with '=', neutralised with a leading quote.
      { slack_user_id: 'U0BOB0001', name: `'=HYPERLINK("http://evil.example","Bob")`, tickets: '1', amount: '0.00', currency: 'USD' },
      { slack_user_id: 'U0ALICE001', name: 'Alice, "the" Admin', tickets: '2', amount: '67.50', currency: 'USD' },
    ]);
  });

  it('computes a month not yet written from its entries, saying the figures are provisional', async () => {
    const { code, out, err } = await helpnet(['export', 'payouts', '--period', '2026-11']);
    expect(code).toBe(0);
    expect(err).toContain('provisional');
    expect(parse(out, { columns: true })).toEqual([{ slack_user_id: 'U0BOB0001', name: `'=HYPERLINK("http://evil.example","Bob")`, tickets: '1', amount: '19.99', currency: 'USD' }]);
  });

  it('exports one billing row per ticket closed in the month', async () => {
    const { code, out, err } = await helpnet(['export', 'billing', '--period=2026-10']);
    expect(err).toBe('');
    expect(code).toBe(0);
    const rows = parse(out, { columns: true }) as Record<string, string>[];
    const entries = await db.models.BillingEntry.findAll({ where: {}, order: [['occurredAt', 'ASC']] });
    const october = entries.filter((e) => e.occurredAt < d('2026-11-01T00:00:00Z'));
    expect(rows.map((r) => [r.ticket, r.closed_at, r.amount])).toEqual(october.map((e) => [`HN-${e.ticketId}`, e.occurredAt.toISOString(), formatMajor(e.amountMinor)]));
    expect(rows.map((r) => [r.category, r.customer_name, r.customer_email, r.currency])).toEqual([
      ['ms-exchange-x', 'Carol, Customer', 'carol@customer.example', 'USD'],
      ['ms-exchange-x', "'@Dan\nMultiline", 'dan@customer.example', 'USD'],
      ['ms-exchange-x', "'-1+2", "'+dan@customer.example", 'USD'],
    ]);
    expect(rows[0]!.closed_at).toBe('2026-10-03T09:15:00.250Z');
    const total = rows.reduce((sum, r) => sum + Math.round(Number(r.amount) * 100), 0);
    expect(total).toBe(october.reduce((sum, e) => sum + e.amountMinor, 0));
  });

  it('writes the CSV to --out', async () => {
    const file = join(dir, 'billing.csv');
    const { code, out, err } = await helpnet(['export', 'billing', '--period', '2026-11', '--out', file]);
    expect(code).toBe(0);
    expect(out).toBe('');
    expect(err).toContain(`Wrote 1 row(s) to ${file}`);
    expect(parse(readFileSync(file, 'utf8'), { columns: true })).toMatchObject([{ amount: '39.99', closed_at: '2026-11-01T00:00:00.000Z' }]);
  });

  it('refuses a bad or missing period, an unknown export, and a month when statements are weekly (exit 2)', async () => {
    const runs = await Promise.all([
      helpnet(['export', 'payouts', '--period', '2026-13']),
      helpnet(['export', 'billing', '--period', '26-11']),
      helpnet(['export', 'payouts']),
      helpnet(['export', 'invoices', '--period', '2026-11']),
      helpnet(['export', 'payouts', '--period', '2026-11', '--format', 'xlsx']),
      helpnet(['export', 'payouts', '--period', '2026-11'], { ROUTING_FILE: join(dir, 'weekly.yml') }),
    ]);
    for (const r of runs) {
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
    }
    expect(runs[0]!.err).toContain('bad period "2026-13"');
    expect(runs[1]!.err).toContain('bad period "26-11"');
    expect(runs[2]!.err).toContain('--period is required');
    expect(runs[3]!.err).toContain('unknown export "invoices"');
    expect(runs[4]!.err).toContain('unknown option --format');
    expect(runs[5]!.err).toContain('statements are written each week');
  });

  it('writes a correction entry (taken by the next statement, see statements.test.ts) and refuses bad ones', async () => {
    const ok = await helpnet(['payouts', 'correct', '--expert', 'U0ALICE001', '--amount', '-12.50', '--note', 'HN-1 paid twice']);
    expect(ok.err).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('Correction of -12.50 USD written');
    const correction = await db.models.ExpertFee.findOne({ where: { kind: 'correction' }, rejectOnEmpty: true });
    expect(correction).toMatchObject({ expertId: alice.id, ticketId: null, amountMinor: -1250, currency: 'USD', note: 'HN-1 paid twice', statementId: null });

    const bad = await Promise.all([
      helpnet(['payouts', 'correct', '--expert', 'U0ALICE001', '--amount', '-12.505', '--note', 'x']),
      helpnet(['payouts', 'correct', '--expert', 'U0ALICE001', '--amount', '0', '--note', 'x']),
      helpnet(['payouts', 'correct', '--expert', 'U0ALICE001', '--amount', '5']),
      helpnet(['payouts', 'pay']),
    ]);
    for (const r of bad) expect(r.code).toBe(2);
    expect(bad[0]!.err).toContain('is not an amount');
    expect(bad[1]!.err).toContain('must not be zero');
    expect(bad[2]!.err).toContain('--note is required');
    const unknown = await helpnet(['payouts', 'correct', '--expert', 'U0NOBODY01', '--amount', '5', '--note', 'x']);
    expect(unknown.code).toBe(1);
    expect(await db.models.ExpertFee.count({ where: { kind: 'correction' } })).toBe(1);
  });
});
