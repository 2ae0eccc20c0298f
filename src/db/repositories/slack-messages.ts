import type { Models } from '../models/index.ts';
import type { Sql } from '../sql.ts';

/** The SQL on the SlackMessage table (see repositories/index.ts). */
export function slackMessagesRepository(sql: Sql, { SlackMessage }: Pick<Models, 'SlackMessage'>) {
  void sql;
  void SlackMessage;
  return {};
}

export type SlackMessagesRepository = ReturnType<typeof slackMessagesRepository>;
