import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { QueryTypes } from 'sequelize';
import { createSequelize, prepareDatabase } from '../../src/db/create-sequelize.ts';
import { createMigrator } from '../../src/db/migrator.ts';
import { createTestDatabase, TEST_ENGINE, type TestDatabase } from '../support/test-database.ts';

const BEFORE = '20261202000500-add-ticket-message-original-body.ts';
const THIS = '20261203000200-add-slack-message-alias.ts';

describe(`migration add-slack-message-alias on ${TEST_ENGINE}`, () => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await createTestDatabase();
  });
  afterEach(async () => {
    await database.drop();
  });

  it('moves an expert thread’s alias from its JSON details into alias_id, and back on the way down', async () => {
    const sequelize = createSequelize(database.url);
    await prepareDatabase(sequelize);
    const migrator = createMigrator(sequelize);
    await migrator.up({ to: BEFORE });
    const now = new Date();
    const qi = sequelize.getQueryInterface();
    await qi.bulkInsert('categories', [{ id: 1, key: 'c', name: 'C', created_at: now, updated_at: now }]);
    await qi.bulkInsert('customers', [{ id: 1, name: 'X', created_at: now, updated_at: now }]);
    await qi.bulkInsert('tickets', [{ id: 1, category_id: 1, customer_id: 1, source: 'widget', external_id: '1', description: 'd', created_at: now, updated_at: now }]);
    await qi.bulkInsert('ticket_aliases', [
      { id: 7, ticket_id: 1, side: 'expert', name: 'Swift Otter', active_name: null, created_at: now, updated_at: now },
      { id: 8, ticket_id: 1, side: 'expert', name: 'Bold Heron', active_name: 'Bold Heron', created_at: now, updated_at: now },
    ]);
    const message = (id: number, purpose: string, details: string | null) => ({ id, ticket_id: 1, purpose, channel: 'D0DM000001', details, status: 'sent', attempts: 1, created_at: now, updated_at: now });
    await qi.bulkInsert('slack_messages', [
      message(1, 'expert_thread', JSON.stringify({ aliasId: 7 })),
      message(2, 'expert_thread', JSON.stringify({ aliasId: 8 })),
      message(3, 'expert_thread', null),
      message(4, 'delivery_alert', JSON.stringify({ aliasId: 8, what: 'a page' })),
      // An alias that is gone (a deleted ticket's): no dangling reference is made.
      message(5, 'expert_thread', JSON.stringify({ aliasId: 99 })),
    ]);

    await migrator.up({ to: THIS });
    const rows = () => sequelize.query<{ id: number; alias_id: number | null; details: string | null }>('SELECT id, alias_id, details FROM slack_messages ORDER BY id', { type: QueryTypes.SELECT });
    expect((await rows()).map((r) => [Number(r.id), r.alias_id === null ? null : Number(r.alias_id)])).toEqual([
      [1, 7],
      [2, 8],
      [3, null],
      [4, null],
      [5, null],
    ]);

    // A thread opened since keeps its alias in the column only; going down writes it back into the JSON.
    await qi.bulkInsert('slack_messages', [{ ...message(6, 'expert_thread', null), alias_id: 8 }]);
    await migrator.down({ to: THIS });
    const down = await sequelize.query<Record<string, unknown>>('SELECT * FROM slack_messages ORDER BY id', { type: QueryTypes.SELECT });
    expect(down[0]).not.toHaveProperty('alias_id');
    expect(down.map((r) => [Number(r.id), r.details === null ? null : JSON.parse(String(r.details))])).toEqual([
      [1, { aliasId: 7 }],
      [2, { aliasId: 8 }],
      [3, null],
      [4, { aliasId: 8, what: 'a page' }],
      [5, { aliasId: 99 }],
      [6, { aliasId: 8 }],
    ]);
    await sequelize.close();
  });
});
