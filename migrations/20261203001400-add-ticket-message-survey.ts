import { type QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';
import { reference } from '../src/db/migration-columns.ts';

/**
 * A notice that asks for the ticket's survey (the link, a reminder) names it: the link is
 * added where the notice is shown to the customer, never stored with the text (only the
 * token's hash is kept).
 */
export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.addColumn('ticket_messages', 'survey_id', reference('surveys', { allowNull: true, onDelete: 'SET NULL' }));
};

export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.removeColumn('ticket_messages', 'survey_id');
};
