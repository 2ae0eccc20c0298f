import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { routingSnapshot, storedCategory } from '../../src/domain/routing-snapshot.ts';
import { syncRouting } from '../../src/domain/sync-routing.ts';
import { parseRouting } from '../../src/config/routing.ts';
import { createCategory, createGroup } from '../support/factories.ts';
import { openTestDatabase, TEST_ENGINE } from '../support/test-database.ts';
import { testRouting } from '../support/test-routing.ts';

describe(`the stored routing, read once and kept (${TEST_ENGINE})`, () => {
  let db: Database;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ db, close } = await openTestDatabase());
    await syncRouting(db, parseRouting(JSON.stringify(testRouting()), 'test'));
  });
  afterAll(async () => close());

  it('holds the categories with their tiers in order and the groups they post to', async () => {
    const { byKey } = await routingSnapshot({ db });
    const exchange = byKey.get('ms-exchange')!;
    expect(exchange).toMatchObject({ key: 'ms-exchange', name: 'MS Exchange', active: true });
    expect(exchange.tiers.map((t) => [t.position, t.group.key, t.group.channelId])).toEqual([
      [1, 'exchange-l1', 'C0EXCH001'],
      [2, 'messaging-l2', 'C0MSGS002'],
    ]);
  });

  it('reads again for a category made after it was read, and after a sync', async () => {
    await routingSnapshot({ db });
    const group = await createGroup();
    const made = await createCategory({ group, timeoutMinutes: 7 });
    expect((await storedCategory({ db }, made.id))?.tiers).toEqual([{ position: 1, timeoutMinutes: 7, group: expect.objectContaining({ id: group.id }) }]);

    const routing = testRouting();
    routing.categories[0]!.name = 'Exchange and Outlook';
    await syncRouting(db, parseRouting(JSON.stringify(routing), 'test'));
    expect((await routingSnapshot({ db })).byKey.get('ms-exchange')?.name).toBe('Exchange and Outlook');
  });
});
