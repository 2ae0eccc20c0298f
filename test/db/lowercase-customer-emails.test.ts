import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { QueryTypes } from 'sequelize';
import { createSequelize, prepareDatabase } from '../../src/db/create-sequelize.ts';
import { createMigrator } from '../../src/db/migrator.ts';
import { createTestDatabase, TEST_ENGINE, type TestDatabase } from '../support/test-database.ts';

describe(`migration lowercase-customer-emails on ${TEST_ENGINE}`, () => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await createTestDatabase();
  });
  afterEach(async () => {
    await database.drop();
  });

  it('puts the customers’ stored addresses in lower case, in any script', async () => {
    const sequelize = createSequelize(database.url);
    await prepareDatabase(sequelize);
    const migrator = createMigrator(sequelize);
    await migrator.up({ to: '20261201000200-index-message-deliveries-batch-key.ts' });
    const now = new Date();
    await sequelize.getQueryInterface().bulkInsert('customers', [
      { name: 'A', email: 'Nora.Case@Customer.Example', created_at: now, updated_at: now },
      { name: 'B', email: 'ÉLODIE@exemple.fr ', created_at: now, updated_at: now },
      { name: 'C', email: 'already@lower.example', created_at: now, updated_at: now },
      { name: 'D', email: null, created_at: now, updated_at: now },
    ]);
    await migrator.up({ to: '20261202000300-lowercase-customer-emails.ts' });
    const rows = await sequelize.query<{ name: string; email: string | null }>('SELECT name, email FROM customers ORDER BY name', { type: QueryTypes.SELECT });
    expect(rows).toEqual([
      { name: 'A', email: 'nora.case@customer.example' },
      { name: 'B', email: 'élodie@exemple.fr' },
      { name: 'C', email: 'already@lower.example' },
      { name: 'D', email: null },
    ]);
    await sequelize.close();
  });
});
