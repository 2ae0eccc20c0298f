import type { Attributes } from 'sequelize';
import type { Models } from '../models/index.ts';
import type { RankingSum } from '../models/ranking-sum.ts';
import type { Sql } from '../sql.ts';
import type { InTransaction } from './in-transaction.ts';

export type RankingSumRow = Attributes<RankingSum>;
export interface SumKey {
  expertId: number;
  categoryId: number;
}

/** The ranking's running sums (see the migration). */
export function rankingRepository(sql: Sql, { RankingSum }: Pick<Models, 'RankingSum'>) {
  const where = (keys: readonly SumKey[]) => keys.map(() => '(expert_id = ? AND category_id = ?)').join(' OR ');
  const params = (keys: readonly SumKey[]) => keys.flatMap((k) => [k.expertId, k.categoryId]);
  return {
    /**
     * The sums under these keys, each row locked for the caller's transaction; missing ones
     * are created empty first (concurrent creators agree on one row). Rows are locked in key
     * order, so two surveys' transactions never wait on each other in a cycle.
     */
    async lock(keys: readonly SumKey[], opts: InTransaction & { now: Date }): Promise<Map<string, RankingSumRow>> {
      const sorted = [...keys].sort((a, b) => a.expertId - b.expertId || a.categoryId - b.categoryId);
      const insert = sql.engine === 'sqlite' ? 'INSERT OR IGNORE' : 'INSERT IGNORE';
      await sql.execute(
        `${insert} INTO ranking_sums (expert_id, category_id, weighted_ratings, weights, decayed_at, surveys) VALUES ${sorted.map(() => '(?, ?, 0, 0, ?, 0)').join(', ')}`,
        sorted.flatMap((k) => [k.expertId, k.categoryId, opts.now]),
        opts,
      );
      const rows = await sql.select(RankingSum, `${where(sorted)} ORDER BY expert_id, category_id`, params(sorted), { ...opts, forUpdate: true });
      return new Map(rows.map((r) => [keyOf(r), r]));
    },

    async save(row: RankingSumRow, opts: InTransaction = {}): Promise<void> {
      await sql.update(RankingSum, { weightedRatings: row.weightedRatings, weights: row.weights, decayedAt: row.decayedAt, surveys: row.surveys }, 'id = ?', [row.id], opts);
    },

    /** The sums under these keys (not locked); missing ones are absent. */
    async read(keys: readonly SumKey[], opts: InTransaction = {}): Promise<Map<string, RankingSumRow>> {
      if (keys.length === 0) return new Map();
      const rows = await sql.select(RankingSum, where(keys), params(keys), opts);
      return new Map(rows.map((r) => [keyOf(r), r]));
    },
  };
}

export const keyOf = (k: SumKey): string => `${k.expertId}:${k.categoryId}`;

export type RankingRepository = ReturnType<typeof rankingRepository>;
