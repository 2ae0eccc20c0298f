import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { openDatabase, type Database } from '../../src/db/database.ts';

export interface TestDatabase {
  url: string;
  engine: 'sqlite' | 'mysql';
  drop(): Promise<void>;
}

/** The engine under test: MariaDB/MySQL when TEST_DATABASE_URL is set, SQLite otherwise. */
export const TEST_ENGINE: 'sqlite' | 'mysql' = process.env.TEST_DATABASE_URL?.startsWith('mysql') ? 'mysql' : 'sqlite';

/**
 * A fresh, empty database for one test: a temporary SQLite file, or a new database on the
 * TEST_DATABASE_URL server (named after it, so parallel test files never share one).
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base || base.startsWith('sqlite')) {
    const dir = mkdtempSync(join(tmpdir(), 'helpnet-test-'));
    return {
      url: `sqlite:${join(dir, 'helpnet.sqlite')}`,
      engine: 'sqlite',
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const url = new URL(base);
  const name = `${url.pathname.slice(1) || 'helpnet_test'}_${randomBytes(4).toString('hex')}`;
  const admin = () =>
    mysql.createConnection({ host: url.hostname, port: Number(url.port || 3306), user: decodeURIComponent(url.username), password: decodeURIComponent(url.password) });
  const conn = await admin();
  await conn.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await conn.end();
  const dbUrl = new URL(base);
  dbUrl.pathname = `/${name}`;
  return {
    url: dbUrl.toString(),
    engine: 'mysql',
    drop: async () => {
      const c = await admin();
      await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await c.end();
    },
  };
}

/** A fresh database, migrated, with models bound; `close()` closes and drops it. */
export async function openTestDatabase(): Promise<{ db: Database; database: TestDatabase; close(): Promise<void> }> {
  const database = await createTestDatabase();
  const db = await openDatabase(database.url);
  return {
    db,
    database,
    async close() {
      await db.close();
      await database.drop();
    },
  };
}
