import type { QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';

/** Deliveries are marked delivered (or failed) by their batch: found by key, not by a scan of them all. */
export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.addIndex('message_deliveries', ['batch_key'], { name: 'message_deliveries_batch_key' });
};

export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.removeIndex('message_deliveries', 'message_deliveries_batch_key');
};
