import { DataTypes, type QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';
import { idColumn, reference, TABLE_OPTIONS } from '../src/db/migration-columns.ts';

/**
 * The days an expert is away (holidays, leave): not paged from the first day to the last,
 * inclusive, in the time zone they gave them in. The days are kept as entered
 * (`YYYY-MM-DD`, with the zone) to show them back; `starts_at`/`ends_at` are the instants
 * they mean (midnight at the start of the first day to midnight after the last), which
 * paging compares with the clock. Indexed by expert and end, as paging asks "is any of this
 * expert's absences under way?".
 */
export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.createTable(
    'expert_absences',
    {
      id: idColumn(),
      expert_id: reference('experts', { onDelete: 'CASCADE' }),
      first_day: { type: DataTypes.STRING(10), allowNull: false },
      last_day: { type: DataTypes.STRING(10), allowNull: false },
      time_zone: { type: DataTypes.STRING(64), allowNull: false },
      starts_at: { type: DataTypes.DATE(3), allowNull: false },
      ends_at: { type: DataTypes.DATE(3), allowNull: false },
      created_at: { type: DataTypes.DATE(3), allowNull: false },
    },
    TABLE_OPTIONS,
  );
  await qi.addIndex('expert_absences', ['expert_id', 'ends_at'], { name: 'expert_absences_expert_ends' });
};

export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.dropTable('expert_absences');
};
