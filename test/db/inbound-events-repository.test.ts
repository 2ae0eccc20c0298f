import { UniqueConstraintError } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { openTestDatabase, TEST_ENGINE } from '../support/test-database.ts';

describe(`the inbound events repository on ${TEST_ENGINE}`, () => {
  let db: Database;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ db, close } = await openTestDatabase());
  });
  afterAll(async () => close());

  it('stores deliveries together, and knows which keys each source has stored', async () => {
    const ids = await db.unitOfWork((transaction) =>
      db.inboundEvents.storeMany(
        'zendesk',
        [
          { dedupeKey: 'event:a', payload: '{}' },
          { dedupeKey: 'event:b', payload: '{}' },
        ],
        { transaction },
      ),
    );
    expect(ids).toHaveLength(2);
    expect(await db.inboundEvents.byId(ids[1]!)).toMatchObject({ source: 'zendesk', dedupeKey: 'event:b', status: 'received', processedAt: null });
    expect(await db.inboundEvents.knownKeys('zendesk', ['event:a', 'event:b', 'event:c', 'event:a'])).toEqual(new Set(['event:a', 'event:b']));
    expect(await db.inboundEvents.knownKeys('slack', ['event:a'])).toEqual(new Set());
    expect(await db.inboundEvents.knownKeys('zendesk', [])).toEqual(new Set());
    await expect(db.unitOfWork((transaction) => db.inboundEvents.storeMany('zendesk', [{ dedupeKey: 'event:a', payload: '{}' }], { transaction }))).rejects.toBeInstanceOf(UniqueConstraintError);
  });

  it('records an outcome once, and an error on each failed try', async () => {
    const [id] = await db.inboundEvents.storeMany('zendesk', [{ dedupeKey: 'event:outcome', payload: '{}' }]);
    const at = new Date('2026-12-03T09:00:00.000Z');
    await db.inboundEvents.recordError(id!, 'Zendesk answered 503', at);
    expect(await db.inboundEvents.byId(id!)).toMatchObject({ status: 'received', error: 'Zendesk answered 503', processedAt: null });
    await db.inboundEvents.recordOutcome(id!, { status: 'unroutable', error: null }, at);
    await db.inboundEvents.recordOutcome(id!, { status: 'processed', error: null }, new Date(at.getTime() + 1000));
    expect(await db.inboundEvents.byId(id!)).toMatchObject({ status: 'unroutable', error: null, processedAt: at });
  });
});
