import { randomBytes } from 'node:crypto';
import { UniqueConstraintError } from 'sequelize';
import type { Models } from '../models/index.ts';
import type { Sql } from '../sql.ts';

/** Secrets the server generates once and keeps (see the migration). */
export function appSecretsRepository(sql: Sql, { AppSecret }: Pick<Models, 'AppSecret'>) {
  return {
    /** The secret called `name`, made (256 random bits, hex) the first time it is asked for; processes starting together agree on one. */
    async getOrCreate(name: string, now: Date): Promise<string> {
      const existing = await sql.selectOne(AppSecret, 'name = ?', [name]);
      if (existing) return existing.value;
      try {
        await sql.insert(AppSecret, [{ name, value: randomBytes(32).toString('hex'), createdAt: now }]);
      } catch (err) {
        if (!(err instanceof UniqueConstraintError)) throw err;
      }
      return (await sql.selectOne(AppSecret, 'name = ?', [name]))!.value;
    },
  };
}
