import { DataTypes, type QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';
import { idColumn, reference, TABLE_OPTIONS, timestampColumns } from '../src/db/migration-columns.ts';

/**
 * The satisfaction survey of a resolved ticket, one per ticket. The customer's link carries
 * a token derived from the server's secret and `token_salt` (see domain/surveys/survey-token.ts);
 * only its SHA-256 is stored, to find the survey by. `status` is pending until the customer
 * answers (answered) or the defaults fill it (defaulted); `reminders_sent` counts the
 * reminders gone out, so a reminder job that runs twice sends once. `rating` and `weight`
 * are what the ranking counted (see domain/ranking/rules.ts).
 */
export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.createTable(
    'surveys',
    {
      id: idColumn(),
      ticket_id: reference('tickets', { onDelete: 'CASCADE' }),
      expert_id: reference('experts'),
      category_id: reference('categories'),
      token_hash: { type: DataTypes.STRING(64), allowNull: false },
      token_salt: { type: DataTypes.STRING(64), allowNull: false },
      status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'pending' },
      reminders_sent: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      solved: { type: DataTypes.BOOLEAN, allowNull: true },
      timeliness: { type: DataTypes.INTEGER, allowNull: true },
      helpfulness: { type: DataTypes.INTEGER, allowNull: true },
      comment: { type: DataTypes.TEXT, allowNull: true },
      rating: { type: DataTypes.DOUBLE, allowNull: true },
      weight: { type: DataTypes.DOUBLE, allowNull: true },
      answered_at: { type: DataTypes.DATE(3), allowNull: true },
      ...timestampColumns(),
    },
    TABLE_OPTIONS,
  );
  await qi.addIndex('surveys', ['ticket_id'], { unique: true, name: 'surveys_ticket' });
  await qi.addIndex('surveys', ['token_hash'], { unique: true, name: 'surveys_token_hash' });
  await qi.addIndex('surveys', ['expert_id', 'answered_at'], { name: 'surveys_expert_answered' });
  await qi.addIndex('surveys', ['category_id', 'answered_at'], { name: 'surveys_category_answered' });
};

export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.dropTable('surveys');
};
