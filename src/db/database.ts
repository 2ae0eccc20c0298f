import type { Sequelize } from 'sequelize';
import type { Logger } from '../lib/logger.ts';
import { createSequelize, prepareDatabase } from './create-sequelize.ts';
import { migrateUp } from './migrator.ts';
import { initModels, type Models } from './models/index.ts';
import { createRepositories, type Repositories } from './repositories/index.ts';
import { readIdStep, Sql } from './sql.ts';
import { unitOfWorkFor, type UnitOfWork } from './unit-of-work.ts';

export type { Models } from './models/index.ts';

export interface Database extends Repositories {
  sequelize: Sequelize;
  models: Models;
  /** Plain SQL on the models' tables, for the hot paths (see sql.ts). */
  sql: Sql;
  /** Runs a function in one transaction, with its queued work and commit hooks (see unit-of-work.ts). */
  unitOfWork: UnitOfWork;
  /** Resolves when a trivial query answers within `timeoutMs`; rejects otherwise. */
  ping(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** What use cases and adapters work with: the database without the right to close it. */
export type DatabaseAccess = Omit<Database, 'ping' | 'close'>;

/** Opens the database, brings its schema up to date and binds the models. */
export async function openDatabase(databaseUrl: string, opts: { logger?: Logger; migrate?: boolean } = {}): Promise<Database> {
  const sequelize = createSequelize(databaseUrl, {
    // SQL is logged at trace level when the process starts at that level; otherwise no
    // log line is even formatted for each statement.
    logging: opts.logger?.isLevelEnabled('trace') ? (sql) => opts.logger!.trace({ sql }, 'sql') : undefined,
  });
  await sequelize.authenticate();
  await prepareDatabase(sequelize);
  await readIdStep(sequelize);
  if (opts.migrate !== false) await migrateUp(sequelize, opts.logger);
  const models = initModels(sequelize);
  const sql = new Sql(sequelize);
  let closed = false;
  return {
    sequelize,
    models,
    sql,
    ...createRepositories(sql, models),
    unitOfWork: unitOfWorkFor(sequelize),
    async ping(timeoutMs = 2000) {
      if (closed) throw new Error('database is closed');
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, fail) => {
        timer = setTimeout(() => fail(new Error(`database did not answer within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        await Promise.race([sequelize.query('SELECT 1'), timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await sequelize.close();
    },
  };
}
