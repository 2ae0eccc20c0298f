import { existsSync, statSync } from 'node:fs';

/**
 * The SQLite file a process opened, so that it can tell when the file at that path is no
 * longer it: deleted or moved away (writes then go to a file nobody will find) or replaced.
 */
export class SqliteFile {
  private constructor(
    readonly path: string,
    private readonly identity: string,
  ) {}

  /** Whether a database file is at `path` now (before opening: false means a new one will be made). */
  static exists(path: string): boolean {
    return existsSync(path);
  }

  /** The file now at `path`, as opened. */
  static opened(path: string): SqliteFile {
    return new SqliteFile(path, SqliteFile.identityOf(path)!);
  }

  /** Throws, saying what happened, when the file at the path is not the one opened. */
  check(): void {
    const now = SqliteFile.identityOf(this.path);
    if (now === undefined) throw new Error(`the database file ${this.path} was deleted or moved since Helpnet opened it: writes no longer reach it`);
    if (now !== this.identity) throw new Error(`the database file ${this.path} was replaced by another file since Helpnet opened it`);
  }

  private static identityOf(path: string): string | undefined {
    try {
      const stat = statSync(path);
      return `${stat.dev}:${stat.ino}`;
    } catch {
      return undefined;
    }
  }
}
