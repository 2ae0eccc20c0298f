import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRouting } from '../../src/config/routing.ts';
import { openDatabase, type Database } from '../../src/db/database.ts';
import { syncRouting } from '../../src/domain/sync-routing.ts';
import { createTicket } from '../support/factories.ts';
import { createTestDatabase, TEST_ENGINE, type TestDatabase } from '../support/test-database.ts';
import { testRouting } from '../support/test-routing.ts';

const routing = (r: unknown = testRouting()) => parseRouting(JSON.stringify(r), 'test');

async function snapshot(db: Database) {
  const { Group, Category, Tier } = db.models;
  return {
    groups: (await Group.findAll({ order: [['key', 'ASC']], raw: true })) as object[],
    categories: (await Category.findAll({ order: [['key', 'ASC']], raw: true })) as object[],
    tiers: (await Tier.findAll({ order: [['categoryId', 'ASC'], ['position', 'ASC']], raw: true })) as object[],
  };
}

describe(`routing sync on ${TEST_ENGINE}`, () => {
  let database: TestDatabase;
  let db: Database;
  beforeAll(async () => {
    database = await createTestDatabase();
    db = await openDatabase(database.url);
  });
  afterAll(async () => {
    await db.close();
    await database.drop();
  });

  it('creates groups, categories and their ordered tiers', async () => {
    const result = await syncRouting(db, routing());
    expect(result.groups.created).toEqual(['exchange-l1', 'messaging-l2', 'windows-l1']);
    expect(result.categories.created).toEqual(['ms-exchange', 'windows-nt']);
    const exchange = await db.models.Category.findOne({ where: { key: 'ms-exchange' } });
    expect(exchange).toMatchObject({ name: 'MS Exchange', customerRate: 40, expertRate: 30, active: true });
    const tiers = await db.models.Tier.findAll({ where: { categoryId: exchange!.id }, order: [['position', 'ASC']], include: ['group'] });
    expect(tiers.map((t) => [t.position, (t as unknown as { group: { key: string } }).group.key, t.timeoutMinutes])).toEqual([
      [1, 'exchange-l1', 10],
      [2, 'messaging-l2', 20],
    ]);
  });

  it('is idempotent: a second sync changes nothing, not even timestamps', async () => {
    const before = await snapshot(db);
    const result = await syncRouting(db, routing());
    expect(result).toEqual({
      groups: { created: [], updated: [], deactivated: [] },
      categories: { created: [], updated: [], deactivated: [] },
    });
    expect(await snapshot(db)).toEqual(before);
  });

  it('applies edits in place, keeping ids', async () => {
    const before = await db.models.Category.findOne({ where: { key: 'ms-exchange' } });
    const r = testRouting();
    r.categories[0]!.tiers = [{ group: 'messaging-l2', timeoutMinutes: 0.5 }];
    r.groups[0]!.pageTop = 7;
    const result = await syncRouting(db, routing(r));
    expect(result.categories.updated).toEqual(['ms-exchange']);
    expect(result.groups.updated).toEqual(['exchange-l1']);
    const after = await db.models.Category.findOne({ where: { key: 'ms-exchange' } });
    expect(after!.id).toBe(before!.id);
    const tiers = await db.models.Tier.findAll({ where: { categoryId: after!.id } });
    expect(tiers.map((t) => [t.position, t.timeoutMinutes])).toEqual([[1, 0.5]]);
  });

  it('deactivates a category removed from the file, keeping it and its tickets, and revives it when it returns', async () => {
    const windows = await db.models.Category.findOne({ where: { key: 'windows-nt' } });
    const ticket = await createTicket({ category: windows! });
    const r = testRouting();
    r.categories = r.categories.filter((c) => c.key !== 'windows-nt');
    r.defaultCategory = 'ms-exchange';
    const result = await syncRouting(db, routing(r));
    expect(result.categories.deactivated).toEqual(['windows-nt']);
    expect(result.groups.deactivated).toEqual([]);
    await windows!.reload();
    expect(windows!.active).toBe(false);
    expect(await db.models.Ticket.findByPk(ticket.id)).not.toBeNull();

    const again = await syncRouting(db, routing());
    expect(again.categories.updated).toContain('windows-nt');
    await windows!.reload();
    expect(windows!.active).toBe(true);
  });
});
