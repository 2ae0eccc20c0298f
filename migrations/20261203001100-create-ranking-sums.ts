import { DataTypes, type QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';
import { idColumn, TABLE_OPTIONS } from '../src/db/migration-columns.ts';

/**
 * The running, time-decayed sums the ranking keeps (see domain/ranking/rules.ts): one row
 * per expert overall (category_id 0), per expert and category, and one for the whole
 * network (expert_id 0, category_id 0), whose mean is the prior every score starts from.
 * Each survey updates three rows, whatever the history: `weighted_ratings` = Σ w·r and
 * `weights` = Σ w, both decayed to `decayed_at`; `surveys` counts them undecayed.
 * No foreign keys: 0 stands for "all".
 */
export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.createTable(
    'ranking_sums',
    {
      id: idColumn(),
      expert_id: { type: DataTypes.INTEGER, allowNull: false },
      category_id: { type: DataTypes.INTEGER, allowNull: false },
      weighted_ratings: { type: DataTypes.DOUBLE, allowNull: false, defaultValue: 0 },
      weights: { type: DataTypes.DOUBLE, allowNull: false, defaultValue: 0 },
      decayed_at: { type: DataTypes.DATE(3), allowNull: false },
      surveys: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    },
    TABLE_OPTIONS,
  );
  await qi.addIndex('ranking_sums', ['expert_id', 'category_id'], { unique: true, name: 'ranking_sums_expert_category' });
};

export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.dropTable('ranking_sums');
};
