import { DataTypes, type QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';
import { idColumn, TABLE_OPTIONS } from '../src/db/migration-columns.ts';

/**
 * The built-in Slack sandbox's workspace (src/sandbox/, docs/sandbox.md): its people, channels,
 * messages (with their threads) and views (modals and App Homes), kept in Helpnet's own
 * database so a sandbox outlives a restart. Empty unless Helpnet ran without Slack credentials.
 */
export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.createTable(
    'sandbox_users',
    {
      id: idColumn(),
      slack_id: { type: DataTypes.STRING(32), allowNull: false },
      name: { type: DataTypes.STRING(200), allowNull: false },
      tz: { type: DataTypes.STRING(64), allowNull: false },
      is_manager: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      created_at: { type: DataTypes.DATE(3), allowNull: false },
    },
    TABLE_OPTIONS,
  );
  await qi.addIndex('sandbox_users', ['slack_id'], { unique: true, name: 'sandbox_users_slack_id' });
  await qi.createTable(
    'sandbox_channels',
    {
      id: idColumn(),
      channel_id: { type: DataTypes.STRING(32), allowNull: false },
      name: { type: DataTypes.STRING(200), allowNull: false },
    },
    TABLE_OPTIONS,
  );
  await qi.addIndex('sandbox_channels', ['channel_id'], { unique: true, name: 'sandbox_channels_channel_id' });
  await qi.createTable(
    'sandbox_messages',
    {
      id: idColumn(),
      conversation: { type: DataTypes.STRING(32), allowNull: false },
      ts: { type: DataTypes.STRING(32), allowNull: false },
      thread_ts: { type: DataTypes.STRING(32), allowNull: true },
      /** A person's id, or null for the bot. */
      user_id: { type: DataTypes.STRING(32), allowNull: true },
      text: { type: DataTypes.TEXT('medium'), allowNull: true },
      blocks: { type: DataTypes.TEXT('medium'), allowNull: true },
      metadata: { type: DataTypes.TEXT, allowNull: true },
      created_at: { type: DataTypes.DATE(3), allowNull: false },
      updated_at: { type: DataTypes.DATE(3), allowNull: false },
    },
    TABLE_OPTIONS,
  );
  await qi.addIndex('sandbox_messages', ['conversation', 'ts'], { unique: true, name: 'sandbox_messages_conversation_ts' });
  await qi.addIndex('sandbox_messages', ['updated_at'], { name: 'sandbox_messages_updated_at' });
  await qi.createTable(
    'sandbox_views',
    {
      id: idColumn(),
      view_id: { type: DataTypes.STRING(32), allowNull: false },
      user_id: { type: DataTypes.STRING(32), allowNull: false },
      /** `home` (one per person, replaced by each views.publish) or `modal`. */
      kind: { type: DataTypes.STRING(16), allowNull: false },
      view: { type: DataTypes.TEXT('medium'), allowNull: false },
      /** A modal the person closed or submitted. */
      closed: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      updated_at: { type: DataTypes.DATE(3), allowNull: false },
    },
    TABLE_OPTIONS,
  );
  await qi.addIndex('sandbox_views', ['view_id'], { unique: true, name: 'sandbox_views_view_id' });
  await qi.addIndex('sandbox_views', ['user_id', 'kind'], { name: 'sandbox_views_user_kind' });
};

export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  for (const table of ['sandbox_views', 'sandbox_messages', 'sandbox_channels', 'sandbox_users']) await qi.dropTable(table);
};
