import type { QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';
import { idColumn, reference, timestampColumns, TABLE_OPTIONS } from '../src/db/migration-columns.ts';

export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.createTable('group_memberships', {
    id: idColumn(),
    group_id: reference('groups', { onDelete: 'CASCADE' }),
    expert_id: reference('experts', { onDelete: 'CASCADE' }),
    ...timestampColumns(),
  }, TABLE_OPTIONS);
  await qi.addIndex('group_memberships', ['group_id', 'expert_id'], { unique: true, name: 'group_memberships_group_expert' });
  await qi.addIndex('group_memberships', ['expert_id'], { name: 'group_memberships_expert' });
};

export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.dropTable('group_memberships');
};
