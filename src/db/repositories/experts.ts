import type { Attributes } from 'sequelize';
import type { Expert } from '../models/expert.ts';
import type { Models } from '../models/index.ts';
import { Sql } from '../sql.ts';
import type { InTransaction } from './in-transaction.ts';

export type ExpertRow = Attributes<Expert>;

/** Experts: who they are in Slack, what they may take, when they were paged. */
export function expertsRepository(sql: Sql, { Expert }: Pick<Models, 'Expert'>) {
  return {
    /** The expert with this Slack user id, or undefined. */
    bySlackId(slackUserId: string, opts: InTransaction = {}): Promise<ExpertRow | undefined> {
      return sql.selectOne(Expert, 'slack_user_id = ?', [slackUserId], opts);
    },

    /** The ids of those of `slackUserIds` who are experts, by Slack user id, in one statement. */
    async idsBySlackIds(slackUserIds: readonly string[], opts: InTransaction = {}): Promise<Map<string, number>> {
      const ids = [...new Set(slackUserIds)];
      if (ids.length === 0) return new Map();
      const rows = await sql.query<{ id: number; slack_user_id: string }>(`SELECT id, slack_user_id FROM experts WHERE slack_user_id IN (${Sql.list(ids.length)})`, ids, opts);
      return new Map(rows.map((r) => [r.slack_user_id, Number(r.id)]));
    },
  };
}

export type ExpertsRepository = ReturnType<typeof expertsRepository>;
