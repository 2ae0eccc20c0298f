import { DataTypes, type QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';

/**
 * When the internal note on the source ticket ("routed to …") was last sent without Zendesk's
 * answer arriving: the next attempt looks for the note among the ticket's comments first.
 */
export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.addColumn('tickets', 'source_note_unconfirmed_at', { type: DataTypes.DATE(3), allowNull: true });
};

export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.removeColumn('tickets', 'source_note_unconfirmed_at');
};
