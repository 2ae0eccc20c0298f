import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { spawnScript } from './spawn-helpnet.ts';
import { createTestDatabase, type TestDatabase } from './test-database.ts';
import { testRouting } from './test-routing.ts';

/** What an operator command printed and how it exited. */
export interface CliResult {
  code: number | string;
  out: string;
  err: string;
}

export interface CliWorkspace {
  /** A folder for the command's files (routing.yml is in it). */
  dir: string;
  database: TestDatabase;
  /** The environment the commands run with: the database, the routing file, silent logs. */
  env: Record<string, string>;
  /** Runs `npm run helpnet -- …args` as its own process (`extraEnv` added to env). */
  helpnet(args: string[], extraEnv?: Record<string, string>): Promise<CliResult>;
}

/** A fresh database and the test routing file, for running operator commands against. */
export async function cliWorkspace(name: string): Promise<CliWorkspace> {
  const dir = mkdtempSync(join(tmpdir(), `helpnet-${name}-`));
  const database = await createTestDatabase();
  writeFileSync(join(dir, 'routing.yml'), stringify(testRouting()));
  const env = { DATABASE_URL: database.url, ROUTING_FILE: join(dir, 'routing.yml'), LOG_LEVEL: 'silent' };
  return {
    dir,
    database,
    env,
    async helpnet(args, extraEnv = {}) {
      const p = spawnScript('src/cli/helpnet.ts', { ...env, ...extraEnv }, args);
      return { code: await p.exited, out: p.stdout(), err: p.stderr() };
    },
  };
}
