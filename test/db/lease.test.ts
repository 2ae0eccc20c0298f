import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renewLease, takeLease } from '../../src/db/lease.ts';
import type { Database } from '../../src/db/database.ts';
import { openTestDatabase } from '../support/test-database.ts';
import { TEST_ENGINE } from '../support/test-database.ts';

describe(`row leases on ${TEST_ENGINE}`, () => {
  let db: Database;
  let close: () => Promise<void>;
  let parentId: number;
  beforeAll(async () => {
    ({ db, close } = await openTestDatabase());
    const message = await db.models.SlackMessage.create({ ticketId: null, purpose: 'notice', channel: 'D0LEASE01', expertId: null });
    parentId = message.id;
  });
  afterAll(async () => {
    await close();
  });

  it('renews the holder’s lease, and tells a holder whose lease ran out and was taken that it is lost', async () => {
    const { sql, models } = db;
    const first = await takeLease(sql, models.SlackMessage, parentId, 'repliesLeaseUntil', 60_000);
    expect(first).toBeInstanceOf(Date);
    expect(await takeLease(sql, models.SlackMessage, parentId, 'repliesLeaseUntil', 60_000)).toBeUndefined();
    const renewed = await renewLease(sql, models.SlackMessage, parentId, 'repliesLeaseUntil', first!, 120_000);
    expect(renewed!.getTime()).toBeGreaterThan(first!.getTime());
    // The renewed lease runs out; another worker takes it; the first holder's renewal fails.
    await sql.update(models.SlackMessage, { repliesLeaseUntil: new Date(Date.now() - 1000) }, 'id = ?', [parentId]);
    const expired = (await sql.selectOne(models.SlackMessage, 'id = ?', [parentId]))!.repliesLeaseUntil!;
    const second = await takeLease(sql, models.SlackMessage, parentId, 'repliesLeaseUntil', 60_000);
    expect(second).toBeInstanceOf(Date);
    expect(await renewLease(sql, models.SlackMessage, parentId, 'repliesLeaseUntil', renewed!, 60_000)).toBeUndefined();
    expect(await renewLease(sql, models.SlackMessage, parentId, 'repliesLeaseUntil', expired, 60_000)).toBeUndefined();
    expect(await renewLease(sql, models.SlackMessage, parentId, 'repliesLeaseUntil', second!, 60_000)).toBeInstanceOf(Date);
  });
});
