import { DataTypes, QueryTypes, type QueryInterface } from 'sequelize';
import type { MigrationFn } from 'umzug';

/**
 * The expert alias an expert's ticket thread was opened for, in a column rather than in the
 * message's JSON details (`{"aliasId": …}`), where three modules parsed it out: a reply in
 * the thread counts only while that alias is the ticket's current one. Filled in from the
 * JSON for the threads already opened; `down` writes it back there for those opened since.
 */
export const up: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  await qi.addColumn('slack_messages', 'alias_id', { type: DataTypes.INTEGER, allowNull: true, references: { model: 'ticket_aliases', key: 'id' }, onDelete: 'SET NULL', onUpdate: 'CASCADE' });
  const threads = await qi.sequelize.query<{ id: number; details: string | null }>("SELECT id, details FROM slack_messages WHERE purpose = 'expert_thread'", { type: QueryTypes.SELECT });
  for (const { id, details } of threads) {
    const aliasId = aliasIdIn(details);
    if (aliasId !== undefined) await qi.sequelize.query('UPDATE slack_messages SET alias_id = ? WHERE id = ? AND EXISTS (SELECT 1 FROM ticket_aliases WHERE id = ?)', { replacements: [aliasId, id, aliasId] });
  }
};

export const down: MigrationFn<QueryInterface> = async ({ context: qi }) => {
  const threads = await qi.sequelize.query<{ id: number; details: string | null; alias_id: number }>("SELECT id, details, alias_id FROM slack_messages WHERE purpose = 'expert_thread' AND alias_id IS NOT NULL", { type: QueryTypes.SELECT });
  for (const { id, details, alias_id: aliasId } of threads) {
    if (aliasIdIn(details) !== Number(aliasId)) await qi.sequelize.query('UPDATE slack_messages SET details = ? WHERE id = ?', { replacements: [JSON.stringify({ ...parsed(details), aliasId: Number(aliasId) }), id] });
  }
  await qi.removeColumn('slack_messages', 'alias_id');
};

function parsed(details: string | null): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(details ?? '{}');
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function aliasIdIn(details: string | null): number | undefined {
  const id = parsed(details).aliasId;
  return typeof id === 'number' && Number.isInteger(id) ? id : undefined;
}
