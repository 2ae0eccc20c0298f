import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { QueryInterface, Sequelize } from 'sequelize';
import { SequelizeStorage, Umzug, type MigrationFn } from 'umzug';

export const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'migrations');

interface MigrationModule {
  up: MigrationFn<QueryInterface>;
  down: MigrationFn<QueryInterface>;
}

/**
 * Migrations that were split into several, one schema change each, after databases had
 * run them: a database that ran the old one has run every part of it.
 */
const SPLIT_MIGRATIONS: Record<string, string[]> = {
  '20261126000300-add-relay-columns.ts': [
    '20261126000300-add-ticket-dispatch-round.ts',
    '20261126000310-add-ticket-zendesk-comment-cursor.ts',
    '20261126000320-add-ticket-zendesk-relay-lease.ts',
    '20261126000330-add-ticket-resolution-notes.ts',
    '20261126000340-add-slack-message-thread-of.ts',
    '20261126000350-add-slack-message-ticket-message.ts',
    '20261126000360-add-slack-message-replies-lease.ts',
    '20261126000370-index-slack-messages-ts.ts',
    '20261126000380-index-slack-messages-thread.ts',
  ],
};

/** Records the parts of a split migration as run where the whole was, before anything else is read. */
async function recordSplitMigrations(storage: SequelizeStorage): Promise<void> {
  const executed = new Set(await storage.executed());
  for (const [old, parts] of Object.entries(SPLIT_MIGRATIONS)) {
    if (!executed.has(old)) continue;
    for (const name of parts) if (!executed.has(name)) await storage.logMigration({ name });
    await storage.unlogMigration({ name: old });
  }
}

/** Umzug over `migrations/*.ts`, recording what ran in the `SequelizeMeta` table. */
export function createMigrator(sequelize: Sequelize, logger?: { info(obj: object, msg?: string): void }) {
  const storage = new SequelizeStorage({ sequelize });
  const umzug = new Umzug<QueryInterface>({
    migrations: {
      glob: ['*.ts', { cwd: MIGRATIONS_DIR, ignore: ['*.d.ts'] }],
      resolve: ({ name, path }) => {
        const load = async () => (await import(pathToFileURL(path!).href)) as MigrationModule;
        return {
          name,
          up: async (params) => (await load()).up(params),
          down: async (params) => (await load()).down(params),
        };
      },
    },
    context: sequelize.getQueryInterface(),
    storage,
    logger: logger
      ? { info: (m) => logger.info(m, 'migration'), warn: (m) => logger.info(m, 'migration'), error: (m) => logger.info(m, 'migration'), debug: () => {} }
      : undefined,
  });
  umzug.on('beforeCommand', () => recordSplitMigrations(storage));
  return umzug;
}

export async function migrateUp(sequelize: Sequelize, logger?: { info(obj: object, msg?: string): void }) {
  return createMigrator(sequelize, logger).up();
}
