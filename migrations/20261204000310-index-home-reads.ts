import type { QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';

const INDEXES: [table: string, columns: string[], name: string][] = [
  ['tickets', ['expert_id', 'status'], 'tickets_expert_status'],
  ['tickets', ['expert_id', 'booked_at'], 'tickets_expert_booked'],
  ['expert_skills', ['status', 'expert_id'], 'expert_skills_status_expert'],
  ['experts', ['suspended_at'], 'experts_suspended_at'],
];

/**
 * The App Home reads (db/repositories/home.ts) by expert and by state: an expert's open
 * tickets, the tickets the leaderboard's page of experts booked lately, the pending
 * applications, the suspended experts. Each is a range read of one of these indexes,
 * bounded by the page, not a scan of the table.
 */
export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  for (const [table, columns, name] of INDEXES) await qi.addIndex(table, columns, { name });
};

export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  // MariaDB drops the index it made itself for the tickets.expert_id foreign key once one of
  // ours can serve it, and refuses to drop ours then: the plain index goes back first.
  if (qi.sequelize.getDialect() !== 'sqlite') {
    const indexes = (await qi.showIndex('tickets')) as { name: string }[];
    if (!indexes.some((i) => i.name === 'expert_id')) await qi.addIndex('tickets', ['expert_id'], { name: 'expert_id' });
  }
  for (const [table, , name] of [...INDEXES].reverse()) await qi.removeIndex(table, name);
};
