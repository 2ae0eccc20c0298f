import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { QueryInterface, Sequelize } from 'sequelize';
import { SequelizeStorage, Umzug, type MigrationFn } from 'umzug';

export const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'migrations');

interface MigrationModule {
  up: MigrationFn<QueryInterface>;
  down: MigrationFn<QueryInterface>;
}

/** Umzug over `migrations/*.ts`, recording what ran in the `SequelizeMeta` table. */
export function createMigrator(sequelize: Sequelize, logger?: { info(obj: object, msg?: string): void }) {
  return new Umzug<QueryInterface>({
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
    storage: new SequelizeStorage({ sequelize }),
    logger: logger
      ? { info: (m) => logger.info(m, 'migration'), warn: (m) => logger.info(m, 'migration'), error: (m) => logger.info(m, 'migration'), debug: () => {} }
      : undefined,
  });
}

export async function migrateUp(sequelize: Sequelize, logger?: { info(obj: object, msg?: string): void }) {
  return createMigrator(sequelize, logger).up();
}
