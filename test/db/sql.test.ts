import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { Sql } from '../../src/db/sql.ts';
import { createCategory, createCustomer, createTicket } from '../support/factories.ts';
import { openTestDatabase, TEST_ENGINE } from '../support/test-database.ts';

describe(`plain SQL on the models' tables (${TEST_ENGINE})`, () => {
  let db: Database;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ db, close } = await openTestDatabase());
  });
  afterAll(async () => close());

  it('inserts several rows in one statement and returns their ids in order', async () => {
    const category = await createCategory();
    const customer = await createCustomer();
    const base = { categoryId: category.id, customerId: customer.id, source: 'widget' as const };
    const ids = await db.sql.insert(db.models.Ticket, [
      { ...base, externalId: 'sql-1', description: 'first' },
      { ...base, externalId: 'sql-2', description: 'second', urgency: 'high' },
      { ...base, externalId: 'sql-3', description: 'third' },
    ]);
    expect(ids).toHaveLength(3);
    expect(ids[1]).toBe(ids[0]! + 1);
    expect(ids[2]).toBe(ids[0]! + 2);
    const rows = await db.models.Ticket.findAll({ where: { id: ids }, order: [['id', 'ASC']] });
    expect(rows.map((t) => [t.id, t.externalId, t.description, t.urgency, t.status])).toEqual([
      [ids[0], 'sql-1', 'first', 'normal', 'open'],
      [ids[1], 'sql-2', 'second', 'high', 'open'],
      [ids[2], 'sql-3', 'third', 'normal', 'open'],
    ]);
  });

  it('stores, finds and updates text with NUL characters, quotes and question marks as written', async () => {
    const category = await createCategory();
    const customer = await createCustomer();
    const text = "before\u0000after ' \" ? `x` $1 \\ \u202eend";
    const [id] = await db.sql.insert(db.models.Ticket, [{ categoryId: category.id, customerId: customer.id, source: 'widget', externalId: `nul-${text}`, description: text }]);
    expect((await db.sql.selectOne(db.models.Ticket, 'external_id = ?', [`nul-${text}`]))?.description).toBe(text);
    expect(await db.sql.update(db.models.Ticket, { subject: `${text}?` }, "id = ? AND description = ? AND status <> '?'", [id, text])).toBe(1);
    expect((await db.models.Ticket.findByPk(id))?.subject).toBe(`${text}?`);
  });

  it('refuses a string longer than its column on both engines, naming it, and takes one that fits in characters', async () => {
    await expect(db.sql.insert(db.models.Customer, [{ name: 'Long', email: `${'x'.repeat(5000)}@example.com` }])).rejects.toThrow(/customers`?\.`?email`? holds at most 320 characters; got 5012/);
    const [id] = await db.sql.insert(db.models.Customer, [{ name: '😀'.repeat(200) }]); // 200 characters, 400 UTF-16 units
    await expect(db.sql.update(db.models.Customer, { name: 'n'.repeat(201) }, 'id = ?', [id])).rejects.toThrow(/at most 200 characters/);
    expect((await db.models.Customer.findByPk(id))?.name).toBe('😀'.repeat(200));
  });

  it('reads and writes dates to the millisecond and booleans, as the models do', async () => {
    const at = new Date('2026-12-01T19:00:00.123Z');
    const ticket = await createTicket({ dispatchedAt: at });
    const row = await db.sql.selectOne(db.models.Ticket, 'id = ?', [ticket.id]);
    expect(row?.dispatchedAt).toEqual(at);
    expect(row?.bookedAt).toBeNull();
    expect(row?.createdAt).toEqual(ticket.createdAt);

    const later = new Date('2026-12-02T08:30:45.678Z');
    expect(await db.sql.update(db.models.Ticket, { bookedAt: later, status: 'booked' }, 'id = ?', [ticket.id], { now: later })).toBe(1);
    const reloaded = await db.models.Ticket.findByPk(ticket.id, { rejectOnEmpty: true });
    expect(reloaded.bookedAt).toEqual(later);
    expect(reloaded.updatedAt).toEqual(later);
    expect(reloaded.status).toBe('booked');

    const category = await createCategory({ active: false });
    const [read] = await db.sql.select(db.models.Category, 'id = ?', [category.id]);
    expect(read?.active).toBe(false);
    await db.sql.update(db.models.Category, { active: true }, 'id = ?', [category.id]);
    expect((await db.models.Category.findByPk(category.id, { rejectOnEmpty: true })).active).toBe(true);
  });

  it('counts rows an UPDATE matched even when nothing changed, and none when nothing matched', async () => {
    const ticket = await createTicket({ status: 'dispatched' });
    expect(await db.sql.execute('UPDATE tickets SET status = ? WHERE id = ?', ['dispatched', ticket.id])).toBe(1);
    expect(await db.sql.execute('UPDATE tickets SET status = ? WHERE id = ? AND status = ?', ['booked', ticket.id, 'closed'])).toBe(0);
  });

  it('selects in a transaction, with a row lock where the engine has them', async () => {
    const ticket = await createTicket();
    const status = await db.unitOfWork(async (transaction) => {
      const row = await db.sql.selectOne(db.models.Ticket, 'id = ?', [ticket.id], { transaction, forUpdate: true });
      await db.sql.update(db.models.Ticket, { status: 'booked' }, 'id = ?', [ticket.id], { transaction });
      return row?.status;
    });
    expect(status).toBe('open');
    expect((await db.sql.selectOne(db.models.Ticket, 'id = ?', [ticket.id]))?.status).toBe('booked');
  });

  it('runs MySQL sessions in READ COMMITTED, so statements lock the rows they change and not the gaps next to them', async () => {
    const [row] = await db.sql.query<{ level: string }>(TEST_ENGINE === 'mysql' ? 'SELECT @@SESSION.tx_isolation AS level' : "SELECT 'serialized' AS level", []);
    // SQLite has one writer at a time: there is nothing to lock.
    expect(row?.level).toBe(TEST_ENGINE === 'mysql' ? 'READ-COMMITTED' : 'serialized');
  });

  it('writes IN lists', () => {
    expect(Sql.list(3)).toBe('?, ?, ?');
    expect(Sql.list(0)).toBe('?');
  });
});
