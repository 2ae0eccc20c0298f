import { mkdirSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { Sequelize, Transaction, type Options } from 'sequelize';

interface SqliteConnection {
  configure(option: 'busyTimeout', ms: number): void;
  exec(sql: string, cb: (err: Error | null) => void): void;
}

export type Engine = 'sqlite' | 'mysql';

export function engineOf(databaseUrl: string): Engine {
  return databaseUrl.startsWith('sqlite:') ? 'sqlite' : 'mysql';
}

/** `sqlite:data/x.sqlite` → absolute path (relative to cwd); `sqlite::memory:` stays as it is. */
export function sqlitePath(databaseUrl: string, cwd = process.cwd()): string {
  const raw = databaseUrl.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
  if (raw === ':memory:') return raw;
  return isAbsolute(raw) ? raw : resolve(cwd, raw);
}

const SQLITE_BUSY_TIMEOUT_MS = 30_000;
const TRANSACTION_CONNECTION = 'helpnet-transactions';

/**
 * Builds the Sequelize instance for `DATABASE_URL`. SQLite gets WAL (readers never block
 * the writer), a busy timeout (concurrent writers wait instead of failing) and IMMEDIATE
 * transactions (a transaction takes the write lock up front, so two of them cannot
 * deadlock upgrading from read to write). MySQL/MariaDB run in UTC with millisecond dates.
 */
export function createSequelize(databaseUrl: string, opts: { logging?: (sql: string) => void; cwd?: string } = {}): Sequelize {
  const common: Options = {
    logging: opts.logging ?? false,
    define: { underscored: true },
  };
  if (engineOf(databaseUrl) === 'sqlite') {
    const storage = sqlitePath(databaseUrl, opts.cwd);
    if (storage !== ':memory:') mkdirSync(dirname(storage), { recursive: true });
    const sequelize = new Sequelize({
      ...common,
      dialect: 'sqlite',
      storage,
      transactionType: Transaction.TYPES.IMMEDIATE,
      retry: { max: 5, match: [/SQLITE_BUSY/] },
    });
    configureSqliteConnections(sequelize);
    return sequelize;
  }
  const url = new URL(databaseUrl.replace(/^mariadb:/, 'mysql:'));
  const sequelize = new Sequelize(url.pathname.slice(1), decodeURIComponent(url.username), decodeURIComponent(url.password), {
    ...common,
    dialect: 'mysql',
    host: url.hostname,
    port: url.port ? Number(url.port) : 3306,
    timezone: '+00:00',
    pool: { max: 25, min: 0, idle: 10_000, acquire: 30_000 },
    // FOUND_ROWS: an UPDATE reports the rows it matched, as SQLite does, not only those it changed.
    dialectOptions: { connectTimeout: 5_000, supportBigNumbers: true, decimalNumbers: true, flags: ['FOUND_ROWS'] },
    hooks: {
      // READ COMMITTED: statements lock the rows they change, not the gaps next to them, so
      // inserting a message does not wait on a sender updating the deliveries of the same
      // ticket. Everything that must not interleave takes a row lock itself.
      afterConnect: async (connection: unknown) => {
        await (connection as { promise(): { query(sql: string): Promise<unknown> } }).promise().query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED');
      },
    },
  });
  return sequelize;
}

/**
 * Sequelize's SQLite dialect opens one connection per transaction and has no connect hook,
 * so the busy timeout (a per-connection setting) is applied by wrapping getConnection.
 */
function configureSqliteConnections(sequelize: Sequelize): void {
  const manager = (sequelize as unknown as {
    connectionManager: { getConnection(o?: { uuid?: string }): Promise<SqliteConnection>; releaseConnection(c: SqliteConnection, force?: boolean): unknown };
  }).connectionManager;
  const configured = new WeakSet<SqliteConnection>();
  const getConnection = manager.getConnection.bind(manager);
  const releaseConnection = manager.releaseConnection.bind(manager);
  // Sequelize opens (and parses the schema on) a new connection for every transaction and
  // closes it after. This process runs one transaction at a time (see unit-of-work.ts), so
  // they all share one connection kept open instead.
  let transactionConnection: Promise<SqliteConnection> | undefined;
  manager.getConnection = async (options?: { uuid?: string }) => {
    if (options?.uuid && options.uuid !== 'default') {
      transactionConnection ??= configuredConnection({ ...options, uuid: TRANSACTION_CONNECTION });
      return transactionConnection;
    }
    return configuredConnection(options);
  };
  manager.releaseConnection = (connection: SqliteConnection, force?: boolean) => {
    if (!transactionConnection) return releaseConnection(connection, force);
    return transactionConnection.then((shared) => {
      if (shared !== connection) return releaseConnection(connection, force);
      if (!force) return undefined;
      // A connection Sequelize gave up on (a failed rollback) is closed and replaced.
      transactionConnection = undefined;
      delete (manager as unknown as { connections: Record<string, unknown> }).connections[TRANSACTION_CONNECTION];
      return releaseConnection(connection, force);
    });
  };
  async function configuredConnection(options?: { uuid?: string }): Promise<SqliteConnection> {
    const connection = await getConnection(options);
    if (!configured.has(connection)) {
      connection.configure('busyTimeout', SQLITE_BUSY_TIMEOUT_MS);
      // With WAL, NORMAL syncs at checkpoints rather than at every commit: safe against
      // the process crashing, at the cost of the last commits on a power cut.
      await new Promise<void>((ok, fail) => connection.exec('PRAGMA synchronous = NORMAL', (err) => (err ? fail(err) : ok())));
      configured.add(connection);
    }
    return connection;
  }
}

/** Settings that live in the database file itself; run once after opening. */
export async function prepareDatabase(sequelize: Sequelize): Promise<void> {
  if (sequelize.getDialect() === 'sqlite' && (sequelize as unknown as { options: { storage?: string } }).options.storage !== ':memory:') {
    // WAL lets readers run while one writer writes; it persists in the file.
    await sequelize.query('PRAGMA journal_mode = WAL');
  }
}
