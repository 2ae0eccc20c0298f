import { DataTypes, type QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';
import { idColumn, reference, TABLE_OPTIONS } from '../src/db/migration-columns.ts';

/**
 * Money, in integer minor units (cents) with the currency beside it, never floats
 * (see docs/money.md):
 * - `billing_entries`: what a customer is billed for a closed ticket, one per ticket.
 * - `expert_fees`: what an expert earned — a `fee` per closed ticket (unique per ticket),
 *   or a `correction` a manager wrote. `statement_id` is set when a statement takes it.
 * - `statements`: an expert's total for a period, written once and never changed; an
 *   entry that arrives after its period's statement goes on the next one.
 */
export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.createTable(
    'billing_entries',
    {
      id: idColumn(),
      ticket_id: reference('tickets', { onDelete: 'CASCADE' }),
      customer_id: reference('customers'),
      category_id: reference('categories'),
      amount_minor: { type: DataTypes.BIGINT, allowNull: false },
      currency: { type: DataTypes.STRING(3), allowNull: false },
      occurred_at: { type: DataTypes.DATE(3), allowNull: false },
      created_at: { type: DataTypes.DATE(3), allowNull: false },
    },
    TABLE_OPTIONS,
  );
  await qi.addIndex('billing_entries', ['ticket_id'], { unique: true, name: 'billing_entries_ticket' });
  await qi.addIndex('billing_entries', ['occurred_at'], { name: 'billing_entries_occurred' });

  await qi.createTable(
    'statements',
    {
      id: idColumn(),
      expert_id: reference('experts'),
      period: { type: DataTypes.STRING(16), allowNull: false },
      period_start: { type: DataTypes.DATE(3), allowNull: false },
      period_end: { type: DataTypes.DATE(3), allowNull: false },
      currency: { type: DataTypes.STRING(3), allowNull: false },
      tickets: { type: DataTypes.INTEGER, allowNull: false },
      amount_minor: { type: DataTypes.BIGINT, allowNull: false },
      created_at: { type: DataTypes.DATE(3), allowNull: false },
    },
    TABLE_OPTIONS,
  );
  await qi.addIndex('statements', ['expert_id', 'period', 'currency'], { unique: true, name: 'statements_expert_period' });
  await qi.addIndex('statements', ['period'], { name: 'statements_period' });

  await qi.createTable(
    'expert_fees',
    {
      id: idColumn(),
      expert_id: reference('experts'),
      ticket_id: reference('tickets', { allowNull: true, onDelete: 'SET NULL' }),
      category_id: reference('categories', { allowNull: true }),
      kind: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'fee' },
      solved: { type: DataTypes.BOOLEAN, allowNull: true },
      multiplier: { type: DataTypes.DOUBLE, allowNull: false, defaultValue: 1 },
      amount_minor: { type: DataTypes.BIGINT, allowNull: false },
      currency: { type: DataTypes.STRING(3), allowNull: false },
      note: { type: DataTypes.TEXT, allowNull: true },
      occurred_at: { type: DataTypes.DATE(3), allowNull: false },
      statement_id: reference('statements', { allowNull: true }),
      created_at: { type: DataTypes.DATE(3), allowNull: false },
    },
    TABLE_OPTIONS,
  );
  await qi.addIndex('expert_fees', ['ticket_id', 'kind'], { unique: true, name: 'expert_fees_ticket_kind' });
  await qi.addIndex('expert_fees', ['statement_id', 'occurred_at'], { name: 'expert_fees_unstated' });
  await qi.addIndex('expert_fees', ['expert_id', 'occurred_at'], { name: 'expert_fees_expert' });
};

export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.dropTable('expert_fees');
  await qi.dropTable('statements');
  await qi.dropTable('billing_entries');
};
