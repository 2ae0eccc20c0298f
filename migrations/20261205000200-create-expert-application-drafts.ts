import { DataTypes, type QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';
import { idColumn, timestampColumns, TABLE_OPTIONS } from '../src/db/migration-columns.ts';

/**
 * An expert application being written in the portal's wizard (`/experts/join`): the answers
 * so far (JSON text), the step reached, and the email once given. The browser holds it by a
 * cookie whose random id is stored only as its SHA-256 (`browser_hash`); "Save and exit"
 * emails a resume link whose token is derived from `resume_salt` under the server's secret,
 * and only the token's SHA-256 is stored (`resume_token_hash`). A draft ends at `expires_at`
 * (30 days after it was last saved) or when it is submitted.
 */
export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.createTable(
    'expert_application_drafts',
    {
      id: idColumn(),
      browser_hash: { type: DataTypes.STRING(64), allowNull: false },
      step: { type: DataTypes.STRING(16), allowNull: false },
      // MEDIUMTEXT on MariaDB: the answers of every step together may pass TEXT's 64 KB in a multi-byte script.
      answers: { type: qi.sequelize.getDialect() === 'mysql' ? DataTypes.TEXT('medium') : DataTypes.TEXT, allowNull: false },
      email: { type: DataTypes.STRING(320), allowNull: true },
      resume_salt: { type: DataTypes.STRING(64), allowNull: true },
      resume_token_hash: { type: DataTypes.STRING(64), allowNull: true },
      expires_at: { type: DataTypes.DATE(3), allowNull: false },
      ...timestampColumns(),
    },
    TABLE_OPTIONS,
  );
  await qi.addIndex('expert_application_drafts', ['browser_hash'], { unique: true, name: 'expert_application_drafts_browser' });
  await qi.addIndex('expert_application_drafts', ['resume_token_hash'], { unique: true, name: 'expert_application_drafts_resume_token' });
  await qi.addIndex('expert_application_drafts', ['expires_at'], { name: 'expert_application_drafts_expires' });
};

export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.dropTable('expert_application_drafts');
};
