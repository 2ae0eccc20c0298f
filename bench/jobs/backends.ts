import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PostgresBackend } from '@agendajs/postgres-backend';
import { RedisBackend } from '@agendajs/redis-backend';
import type { AgendaBackend } from 'agenda';
import mysql from 'mysql2/promise';
import { openDatabase, type Database } from '../../src/db/database.ts';
import { SequelizeBackend } from '../../src/jobs/sequelize-backend/index.ts';

export const KINDS = ['mariadb', 'sqlite', 'postgres', 'redis'] as const;
export type Kind = (typeof KINDS)[number];

export const LABELS: Record<Kind, string> = {
  mariadb: 'Helpnet Sequelize backend, MariaDB',
  sqlite: 'Helpnet Sequelize backend, SQLite',
  postgres: '@agendajs/postgres-backend, PostgreSQL',
  redis: '@agendajs/redis-backend, Redis',
};

const MARIADB_URL = process.env.BENCH_MARIADB_URL ?? 'mysql://root@127.0.0.1:3306/helpnet_bench';
const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Where a run's jobs live; the parent makes it, workers open it by `location`. */
export async function prepare(kind: Kind): Promise<{ location: string; cleanup(): Promise<void> }> {
  if (kind === 'mariadb') {
    const url = new URL(MARIADB_URL);
    const conn = await mysql.createConnection({ host: url.hostname, port: Number(url.port || 3306), user: url.username, password: url.password });
    await conn.query(`DROP DATABASE IF EXISTS \`${url.pathname.slice(1)}\``);
    await conn.query(`CREATE DATABASE \`${url.pathname.slice(1)}\` CHARACTER SET utf8mb4`);
    await conn.end();
    return { location: MARIADB_URL, cleanup: async () => {} };
  }
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'helpnet-bench-'));
    return { location: `sqlite:${join(dir, 'bench.sqlite')}`, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  return { location: kind === 'postgres' ? POSTGRES_URL : REDIS_URL, cleanup: async () => {} };
}

/** Opens a backend on `location`; `migrate` once (in the parent) for the SQL-on-Sequelize kinds. */
export async function openBackend(kind: Kind, location: string, migrate = false): Promise<{ backend: AgendaBackend; close(): Promise<void> }> {
  if (kind === 'mariadb' || kind === 'sqlite') {
    const db: Database = await openDatabase(location, { migrate });
    return { backend: new SequelizeBackend(db.sequelize), close: () => db.close() };
  }
  if (kind === 'postgres') {
    const backend = new PostgresBackend({ connectionString: location, tableName: 'helpnet_bench_jobs' });
    return { backend, close: async () => {} };
  }
  const backend = new RedisBackend({ connectionString: location, keyPrefix: 'helpnet-bench:' });
  return { backend, close: async () => {} };
}
