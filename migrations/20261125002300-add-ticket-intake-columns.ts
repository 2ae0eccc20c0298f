import { DataTypes, type QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';

/** The expert who booked, widget customers' access token (hashed), when the last tier ran out, when the source was told. */
export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.addColumn('tickets', 'expert_id', { type: DataTypes.INTEGER, allowNull: true, references: { model: 'experts', key: 'id' }, onDelete: 'SET NULL', onUpdate: 'CASCADE' });
  await qi.addColumn('tickets', 'access_token_hash', { type: DataTypes.STRING(64), allowNull: true });
  await qi.addColumn('tickets', 'escalation_exhausted_at', { type: DataTypes.DATE(3), allowNull: true });
  await qi.addColumn('tickets', 'source_noted_at', { type: DataTypes.DATE(3), allowNull: true });
};

export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.removeColumn('tickets', 'source_noted_at');
  await qi.removeColumn('tickets', 'escalation_exhausted_at');
  await qi.removeColumn('tickets', 'access_token_hash');
  await qi.removeColumn('tickets', 'expert_id');
};
