import { Op } from 'sequelize';
import type { Routing } from '../config/routing.ts';
import type { DatabaseAccess } from '../db/database.ts';
import { forgetRoutingSnapshot } from './routing-snapshot.ts';

export interface SyncSummary {
  created: string[];
  updated: string[];
  deactivated: string[];
}

/** Copies only the fields that differ, so a repeated sync writes nothing. */
function assignChanged<T extends { get(key: string): unknown; set(key: string, value: unknown): void; changed(): false | string[] }>(
  row: T,
  values: Record<string, unknown>,
): boolean {
  for (const [k, v] of Object.entries(values)) if (row.get(k) !== v) row.set(k, v);
  return row.changed() !== false;
}

/**
 * Makes the groups, categories and tiers in the database match the routing file, in one
 * transaction. Idempotent. Entries removed from the file are deactivated, never deleted:
 * tickets and experts keep pointing at them.
 */
export async function syncRouting(db: DatabaseAccess, routing: Routing): Promise<{ groups: SyncSummary; categories: SyncSummary }> {
  const { Group, Category, Tier } = db.models;
  const groups: SyncSummary = { created: [], updated: [], deactivated: [] };
  const categories: SyncSummary = { created: [], updated: [], deactivated: [] };

  await db.unitOfWork(async (transaction) => {
    const groupIds = new Map<string, number>();
    for (const g of routing.groups) {
      const values = { name: g.name ?? g.key, channelId: g.channel, pageTop: g.pageTop, active: true };
      const row = await Group.findOne({ where: { key: g.key }, transaction });
      if (!row) {
        const created = await Group.create({ key: g.key, ...values }, { transaction });
        groupIds.set(g.key, created.id);
        groups.created.push(g.key);
      } else {
        if (assignChanged(row, values)) {
          await row.save({ transaction });
          groups.updated.push(g.key);
        }
        groupIds.set(g.key, row.id);
      }
    }
    const staleGroups = await Group.findAll({ where: { active: true, key: { [Op.notIn]: routing.groups.map((g) => g.key) } }, transaction });
    for (const row of staleGroups) {
      await row.update({ active: false }, { transaction });
      groups.deactivated.push(row.key);
    }

    for (const c of routing.categories) {
      const values = {
        name: c.name,
        customerRate: c.rates.customer,
        expertRate: c.rates.expert,
        shareCustomerContact: c.shareCustomerContact,
        active: true,
      };
      let row = await Category.findOne({ where: { key: c.key }, transaction });
      let changed = false;
      const isNew = !row;
      if (!row) {
        row = await Category.create({ key: c.key, ...values }, { transaction });
        categories.created.push(c.key);
      } else if (assignChanged(row, values)) {
        await row.save({ transaction });
        changed = true;
      }

      const tiers = await Tier.findAll({ where: { categoryId: row.id }, order: [['position', 'ASC']], transaction });
      for (const [i, t] of c.tiers.entries()) {
        const position = i + 1;
        const wanted = { groupId: groupIds.get(t.group)!, timeoutMinutes: t.timeoutMinutes };
        const existing = tiers.find((x) => x.position === position);
        if (!existing) {
          await Tier.create({ categoryId: row.id, position, ...wanted }, { transaction });
          changed = true;
        } else if (assignChanged(existing, wanted)) {
          await existing.save({ transaction });
          changed = true;
        }
      }
      const extra = tiers.filter((x) => x.position > c.tiers.length);
      if (extra.length > 0) {
        await Tier.destroy({ where: { id: extra.map((x) => x.id) }, transaction });
        changed = true;
      }
      if (changed && !isNew) categories.updated.push(c.key);
    }
    const staleCategories = await Category.findAll({
      where: { active: true, key: { [Op.notIn]: routing.categories.map((c) => c.key) } },
      transaction,
    });
    for (const row of staleCategories) {
      await row.update({ active: false }, { transaction });
      categories.deactivated.push(row.key);
    }
  });
  forgetRoutingSnapshot(db);
  return { groups, categories };
}
