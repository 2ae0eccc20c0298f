import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSequelize, prepareDatabase } from '../../src/db/create-sequelize.ts';
import { SequelizeStorage } from 'umzug';
import { createMigrator } from '../../src/db/migrator.ts';
import { spawnScript } from '../support/spawn-helpnet.ts';
import { createTestDatabase, TEST_ENGINE, type TestDatabase } from '../support/test-database.ts';

const TABLES = ['agenda_jobs', 'categories', 'customers', 'expert_skills', 'experts', 'group_memberships', 'groups', 'tickets', 'tiers'];

describe(`migrations on ${TEST_ENGINE}`, () => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await createTestDatabase();
  });
  afterEach(async () => {
    await database.drop();
  });

  async function tables(url: string): Promise<string[]> {
    const sequelize = createSequelize(url);
    const names = (await sequelize.getQueryInterface().showAllTables()).map(String).filter((t) => t !== 'sequelize_meta');
    await sequelize.close();
    return names.sort();
  }

  it('go up, all the way down, and up again', async () => {
    const sequelize = createSequelize(database.url);
    await prepareDatabase(sequelize);
    const migrator = createMigrator(sequelize);
    const applied = await migrator.up();
    expect(applied.length).toBeGreaterThanOrEqual(TABLES.length);
    expect(await tables(database.url)).toEqual(expect.arrayContaining(TABLES));
    expect(await migrator.pending()).toEqual([]);

    await migrator.down({ to: 0 });
    expect(await tables(database.url)).toEqual([]);
    expect(await migrator.executed()).toEqual([]);

    await migrator.up();
    expect(await tables(database.url)).toEqual(expect.arrayContaining(TABLES));
    await sequelize.close();
  });

  it('enforce one ticket per source event', async () => {
    const sequelize = createSequelize(database.url);
    await createMigrator(sequelize).up();
    const now = new Date();
    const qi = sequelize.getQueryInterface();
    await qi.bulkInsert('categories', [{ key: 'c', name: 'C', created_at: now, updated_at: now }]);
    await qi.bulkInsert('customers', [{ name: 'X', created_at: now, updated_at: now }]);
    const row = { category_id: 1, customer_id: 1, source: 'zendesk', external_id: '42', description: 'd', created_at: now, updated_at: now };
    await qi.bulkInsert('tickets', [row]);
    await expect(qi.bulkInsert('tickets', [row])).rejects.toThrow();
    await qi.bulkInsert('tickets', [{ ...row, source: 'widget' }]);
    await sequelize.close();
  });

  it('run from `npm run migrate`, and `-- down` reverts the last one', async () => {
    const env = { DATABASE_URL: database.url };
    const up = spawnScript('src/cli/migrate.ts', env, ['up']);
    expect(await up.exited).toBe(0);
    expect(await tables(database.url)).toEqual(expect.arrayContaining(TABLES));

    const executed = async () => {
      const sequelize = createSequelize(database.url);
      const names = await createMigrator(sequelize).executed();
      await sequelize.close();
      return names.map((m) => m.name);
    };
    const before = await executed();
    const down = spawnScript('src/cli/migrate.ts', env, ['down']);
    expect(await down.exited).toBe(0);
    // Only the newest migration was reverted.
    expect(await executed()).toEqual(before.slice(0, -1));
    expect(await tables(database.url)).toEqual(expect.arrayContaining(TABLES));

    // `-- pending` lists what is left by name, and says when nothing is.
    const pending = spawnScript('src/cli/migrate.ts', env, ['pending']);
    expect(await pending.exited).toBe(0);
    expect(pending.stdout().trim()).toBe(before.at(-1));
    const again = spawnScript('src/cli/migrate.ts', env, ['up']);
    expect(await again.exited).toBe(0);
    const none = spawnScript('src/cli/migrate.ts', env, ['pending']);
    expect(await none.exited).toBe(0);
    expect(none.stdout().trim()).toBe('no pending migrations');
  });

  it('take a database that ran a migration before it was split as having run its parts', async () => {
    const sequelize = createSequelize(database.url);
    await prepareDatabase(sequelize);
    await createMigrator(sequelize).up();
    // As a database migrated before the split has it: the one old name, none of the parts.
    const storage = new SequelizeStorage({ sequelize });
    const parts = (await storage.executed()).filter((n) => n.startsWith('202611260003'));
    expect(parts).toHaveLength(9);
    for (const name of parts) await storage.unlogMigration({ name });
    await storage.logMigration({ name: '20261126000300-add-relay-columns.ts' });

    const migrator = createMigrator(sequelize);
    expect(await migrator.pending()).toEqual([]);
    const executed = (await migrator.executed()).map((m) => m.name);
    expect(executed).toEqual(expect.arrayContaining(parts));
    expect(executed).not.toContain('20261126000300-add-relay-columns.ts');
    // And its parts come down one by one.
    await migrator.down({ to: 0 });
    expect(await tables(database.url)).toEqual([]);
    await sequelize.close();
  });
});
