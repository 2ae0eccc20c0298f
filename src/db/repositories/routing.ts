import type { Attributes } from 'sequelize';
import type { Category } from '../models/category.ts';
import type { Models } from '../models/index.ts';
import type { Sql } from '../sql.ts';
import type { InTransaction } from './in-transaction.ts';

/** A tier as stored, with the group it posts to. */
export interface TierRow {
  categoryId: number;
  position: number;
  timeoutMinutes: number;
  group: { id: number; key: string; name: string; channelId: string; pageTop: number };
}

/** The routing as stored (categories, their tiers, the groups): what the routing file was synced into. */
export function routingRepository(sql: Sql, { Category }: Pick<Models, 'Category'>) {
  return {
    /** Every category, active or not. */
    categories(opts: InTransaction = {}): Promise<Attributes<Category>[]> {
      return sql.select(Category, '1 = 1', [], opts);
    },

    /** Every tier with its group, by category and position. */
    async tiers(opts: InTransaction = {}): Promise<TierRow[]> {
      const rows = await sql.query<{ category_id: number; position: number; timeout_minutes: number; group_id: number; group_key: string; group_name: string; channel_id: string; page_top: number }>(
        `SELECT t.category_id, t.position, t.timeout_minutes, g.id AS group_id, g.\`key\` AS group_key, g.name AS group_name, g.channel_id, g.page_top
           FROM tiers t JOIN \`groups\` g ON g.id = t.group_id ORDER BY t.category_id, t.position`,
        [],
        opts,
      );
      return rows.map((t) => ({
        categoryId: Number(t.category_id),
        position: Number(t.position),
        timeoutMinutes: Number(t.timeout_minutes),
        group: { id: Number(t.group_id), key: t.group_key, name: t.group_name, channelId: t.channel_id, pageTop: Number(t.page_top) },
      }));
    },
  };
}

export type RoutingRepository = ReturnType<typeof routingRepository>;
