import type { QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';

/** How the alerts were kept in inbound_events: source `zendesk`, dedupe key `alert:<once key>`. */
const ALERTS = "source = 'zendesk' AND dedupe_key LIKE 'alert:%'";

/**
 * The managers' alerts sent so far were recorded as rows of inbound_events (see
 * create-manager-alerts): they move to manager_alerts, keeping their once keys, so an
 * alert already sent is not sent again. In one transaction, so a failure moves nothing.
 */
export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.sequelize.transaction(async (transaction) => {
    await qi.sequelize.query(`INSERT INTO manager_alerts (once_key, about, created_at) SELECT SUBSTR(dedupe_key, 7), payload, created_at FROM inbound_events WHERE ${ALERTS} ORDER BY id`, { transaction });
    await qi.sequelize.query(`DELETE FROM inbound_events WHERE ${ALERTS}`, { transaction });
  });
};

/** Back into inbound_events, as they were recorded there (processed when they were made). */
export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  const dedupeKey = qi.sequelize.getDialect() === 'sqlite' ? "'alert:' || once_key" : "CONCAT('alert:', once_key)";
  await qi.sequelize.transaction(async (transaction) => {
    await qi.sequelize.query(
      `INSERT INTO inbound_events (source, dedupe_key, payload, status, processed_at, created_at, updated_at)
       SELECT 'zendesk', ${dedupeKey}, about, 'processed', created_at, created_at, created_at FROM manager_alerts ORDER BY id`,
      { transaction },
    );
    await qi.sequelize.query('DELETE FROM manager_alerts', { transaction });
  });
};
