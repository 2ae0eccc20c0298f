import type { QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';

const INDEXES: [table: string, columns: string[], name: string][] = [
  ['tickets', ['created_at'], 'tickets_created_at'],
  ['tickets', ['booked_at'], 'tickets_booked_at'],
  ['tickets', ['resolved_at'], 'tickets_resolved_at'],
  ['slack_messages', ['purpose', 'created_at'], 'slack_messages_purpose_created'],
  ['surveys', ['answered_at'], 'surveys_answered_at'],
];

/**
 * Statistics count tickets, escalations and surveys by the time each happened over a range
 * (see db/repositories/stats.ts): each of those reads is a range scan of one of these
 * indexes, not of the whole table.
 */
export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  for (const [table, columns, name] of INDEXES) await qi.addIndex(table, columns, { name });
};

export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  for (const [table, , name] of [...INDEXES].reverse()) await qi.removeIndex(table, name);
};
