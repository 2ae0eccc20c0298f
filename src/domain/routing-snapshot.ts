import type { Transaction } from 'sequelize';
import type { DomainContext } from './domain-context.ts';
import { toMinorUnits } from './money/rules.ts';

/** A category as stored, with its tiers in order. */
export interface StoredCategory {
  id: number;
  key: string;
  name: string;
  active: boolean;
  shareCustomerContact: boolean;
  /** What a closed ticket costs the customer and earns the expert, in minor units (cents). */
  rates: { customerMinor: number; expertMinor: number };
  tiers: StoredTier[];
}

/** A tier of a category and the group it posts to. */
export interface StoredTier {
  position: number;
  timeoutMinutes: number;
  group: { id: number; key: string; name: string; channelId: string; pageTop: number };
}

export interface RoutingSnapshot {
  byId: ReadonlyMap<number, StoredCategory>;
  byKey: ReadonlyMap<string, StoredCategory>;
}

/** How long a process uses what it read before reading again. */
const MAX_AGE_MS = 10_000;

const snapshots = new WeakMap<object, { at: number; snapshot: Promise<RoutingSnapshot> }>();

/**
 * The categories, tiers and groups as the database has them, read in two queries and kept
 * for a few seconds: they change only when a process syncs its routing file at start, and
 * intake and every ticket message would otherwise read them again each time. A category
 * not in the snapshot (made since it was read) makes `storedCategory()` read it again.
 * Inside a transaction, pass it: on SQLite a read outside it could wait on a writer that
 * waits on the transaction.
 */
export async function routingSnapshot(ctx: Pick<DomainContext, 'db'>, opts: { fresh?: boolean; transaction?: Transaction } = {}): Promise<RoutingSnapshot> {
  const held = snapshots.get(ctx.db.sequelize);
  if (held && !opts.fresh && Date.now() - held.at < MAX_AGE_MS) return held.snapshot;
  const snapshot = readSnapshot(ctx, opts.transaction);
  snapshots.set(ctx.db.sequelize, { at: Date.now(), snapshot });
  snapshot.catch(() => snapshots.delete(ctx.db.sequelize));
  return snapshot;
}

/** Drops the snapshot (after a routing sync has changed what it holds). */
export function forgetRoutingSnapshot(db: DomainContext['db']): void {
  snapshots.delete(db.sequelize);
}

/** A category by id, read again once if it is newer than the snapshot. */
export async function storedCategory(ctx: Pick<DomainContext, 'db'>, id: number, transaction?: Transaction): Promise<StoredCategory | undefined> {
  return (await routingSnapshot(ctx, { transaction })).byId.get(id) ?? (await routingSnapshot(ctx, { fresh: true, transaction })).byId.get(id);
}

async function readSnapshot(ctx: Pick<DomainContext, 'db'>, transaction: Transaction | undefined): Promise<RoutingSnapshot> {
  const categories = await ctx.db.routing.categories({ transaction });
  const tiers = await ctx.db.routing.tiers({ transaction });
  const byId = new Map<number, StoredCategory>();
  const byKey = new Map<string, StoredCategory>();
  for (const c of categories) {
    const category: StoredCategory = { id: c.id, key: c.key, name: c.name, active: c.active, shareCustomerContact: c.shareCustomerContact, rates: { customerMinor: toMinorUnits(c.customerRate), expertMinor: toMinorUnits(c.expertRate) }, tiers: [] };
    byId.set(c.id, category);
    byKey.set(c.key, category);
  }
  for (const { categoryId, ...tier } of tiers) byId.get(categoryId)?.tiers.push(tier);
  return { byId, byKey };
}
