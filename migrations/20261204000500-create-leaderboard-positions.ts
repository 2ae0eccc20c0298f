import { DataTypes, type QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';
import { idColumn, TABLE_OPTIONS } from '../src/db/migration-columns.ts';

/**
 * The approved experts in leaderboard order, as last ranked (domain/home/leaderboard.ts).
 * A score decays with time, so no index can order experts by their score now: ranking them
 * reads every approved expert. Kept here, the Homes read a page of the leaderboard, or one
 * expert's place, by `position`, whatever the number of experts.
 */
export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.createTable(
    'leaderboard_positions',
    {
      id: idColumn(),
      expert_id: { type: DataTypes.INTEGER, allowNull: false },
      position: { type: DataTypes.INTEGER, allowNull: false },
      score: { type: DataTypes.DOUBLE, allowNull: false },
      surveys: { type: DataTypes.INTEGER, allowNull: false },
      ranked_at: { type: DataTypes.DATE(3), allowNull: false },
    },
    TABLE_OPTIONS,
  );
  await qi.addIndex('leaderboard_positions', ['position'], { unique: true, name: 'leaderboard_positions_position' });
  await qi.addIndex('leaderboard_positions', ['expert_id'], { unique: true, name: 'leaderboard_positions_expert' });
};

export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.dropTable('leaderboard_positions');
};
