import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { QueryTypes, type Sequelize } from 'sequelize';
import { createSequelize, prepareDatabase } from '../../src/db/create-sequelize.ts';
import { createMigrator } from '../../src/db/migrator.ts';
import { formatDate } from '../../src/db/sql.ts';
import { createTestDatabase, TEST_ENGINE, type TestDatabase } from '../support/test-database.ts';

const CREATE = '20261203000100-create-manager-alerts.ts';
const MOVE = '20261203000300-move-alerts-to-manager-alerts.ts';

describe(`migration move-alerts-to-manager-alerts on ${TEST_ENGINE}`, () => {
  let database: TestDatabase;
  let sequelize: Sequelize;
  beforeEach(async () => {
    database = await createTestDatabase();
    sequelize = createSequelize(database.url);
    await prepareDatabase(sequelize);
  });
  afterEach(async () => {
    await sequelize.close();
    await database.drop();
  });

  const select = <T extends object>(sql: string) => sequelize.query<T>(sql, { type: QueryTypes.SELECT });
  const inboundEvents = async () =>
    (await select<{ source: string; dedupe_key: string; payload: string; status: string; created_at: unknown }>('SELECT source, dedupe_key, payload, status, created_at FROM inbound_events ORDER BY dedupe_key')).map((e) => ({
      ...e,
      created_at: new Date(e.created_at as string).toISOString(),
    }));

  it('moves the alerts recorded in inbound_events to manager_alerts, and back down', async () => {
    const migrator = createMigrator(sequelize);
    await migrator.up({ to: CREATE });
    const at = new Date('2026-12-01T10:00:00.123Z');
    // Written as the models write dates (to the millisecond), which bulkInsert would not do on MariaDB.
    const stored = formatDate(at, TEST_ENGINE);
    const row = (source: string, dedupeKey: string, payload: object, status = 'processed') => ({ source, dedupe_key: dedupeKey, payload: JSON.stringify(payload), status, processed_at: stored, created_at: stored, updated_at: stored });
    await sequelize.getQueryInterface().bulkInsert('inbound_events', [
      row('zendesk', 'alert:unroutable:zendesk-ticket:42', { alert: 'unroutable', zendeskTicketId: 42, inboundEventId: 1 }),
      row('zendesk', 'alert:zendesk-access:inbound-event:7', { alert: 'notice', inboundEventId: 7, zendeskTicketId: 43 }),
      row('zendesk', 'trigger:42:abc', { ticket: { id: 42 } }, 'unroutable'),
      row('zendesk', 'event:01HZX', { type: 'zen:event-type:ticket.created' }),
      row('slack', 'Ev01ALERT', { type: 'message' }),
    ]);
    const before = await inboundEvents();

    await migrator.up({ to: MOVE });
    const alerts = await select<{ once_key: string; about: string; created_at: unknown }>('SELECT once_key, about, created_at FROM manager_alerts ORDER BY once_key');
    expect(alerts.map((a) => ({ onceKey: a.once_key, about: JSON.parse(a.about), createdAt: new Date(a.created_at as string).toISOString() }))).toEqual([
      { onceKey: 'unroutable:zendesk-ticket:42', about: { alert: 'unroutable', zendeskTicketId: 42, inboundEventId: 1 }, createdAt: at.toISOString() },
      { onceKey: 'zendesk-access:inbound-event:7', about: { alert: 'notice', inboundEventId: 7, zendeskTicketId: 43 }, createdAt: at.toISOString() },
    ]);
    expect((await inboundEvents()).map((e) => e.dedupe_key)).toEqual(['Ev01ALERT', 'event:01HZX', 'trigger:42:abc']);

    await migrator.down({ to: MOVE });
    expect(await select('SELECT once_key FROM manager_alerts')).toEqual([]);
    expect(await inboundEvents()).toEqual(before);
  });
});
