import type { Sequelize } from 'sequelize';

/**
 * Runs `work` and returns what it returned with the SQL statements the app sent meanwhile
 * that start with `prefix` (e.g. 'INSERT INTO `ticket_messages`'): to check that work done
 * together is written together.
 */
export async function statementsDuring<T>(sequelize: Sequelize, prefix: string, work: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
  const statements: string[] = [];
  const name = `statements-during-${Math.random()}`;
  const record = (_options: unknown, query: { sql?: string }) => {
    if (query.sql?.startsWith(prefix)) statements.push(query.sql);
  };
  sequelize.addHook('afterQuery', name, record as never);
  try {
    return { result: await work(), statements };
  } finally {
    sequelize.removeHook('afterQuery', name);
  }
}
