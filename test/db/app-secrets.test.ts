import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { openTestDatabase, TEST_ENGINE } from '../support/test-database.ts';

describe(`the server's own secrets on ${TEST_ENGINE}`, () => {
  let db: Database;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ db, close } = await openTestDatabase());
  });
  afterAll(async () => close());

  it('makes a secret once and gives the same one after (as to a restarted server)', async () => {
    const first = await db.appSecrets.getOrCreate('session', new Date());
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(await db.appSecrets.getOrCreate('session', new Date())).toBe(first);
    expect(await db.appSecrets.getOrCreate('other', new Date())).not.toBe(first);
  });

  it('gives processes asking at once the same secret', async () => {
    const all = await Promise.all(Array.from({ length: 5 }, () => db.appSecrets.getOrCreate('together', new Date())));
    expect(new Set(all).size).toBe(1);
  });
});
