import type { Attributes, Model, ModelStatic } from 'sequelize';
import { retryOnDeadlock } from './retry-deadlock.ts';
import type { Sql } from './sql.ts';

type LeaseColumn<M extends Model> = keyof Attributes<M> & string;

/**
 * A lease on one row: the right, for `ms`, to do something only one worker may do at a time
 * (post a thread's replies in order, send a ticket's Zendesk comments). Taken by one
 * conditional UPDATE, so it works across processes; a crashed holder's lease runs out.
 */
export async function takeLease<M extends Model>(sql: Sql, model: ModelStatic<M>, id: number, column: LeaseColumn<M>, ms: number): Promise<Date | undefined> {
  const now = new Date();
  const until = new Date(now.getTime() + ms);
  const c = sql.columnOf(model, column);
  const taken = await retryOnDeadlock(() => sql.update(model, { [column]: until } as never, `id = ? AND (${c} IS NULL OR ${c} < ?)`, [id, now], { now }));
  return taken === 1 ? until : undefined;
}

/** Gives a lease back early (only the holder's own lease: matched by its expiry). */
export async function dropLease<M extends Model>(sql: Sql, model: ModelStatic<M>, id: number, column: LeaseColumn<M>, until: Date): Promise<void> {
  await retryOnDeadlock(() => sql.update(model, { [column]: null } as never, `id = ? AND ${sql.columnOf(model, column)} = ?`, [id, until]));
}

/** Renews the holder's lease for another `ms`: the new expiry, or undefined if the lease was lost (ran out and taken). */
export async function renewLease<M extends Model>(sql: Sql, model: ModelStatic<M>, id: number, column: LeaseColumn<M>, until: Date, ms: number): Promise<Date | undefined> {
  const now = new Date();
  const next = new Date(Math.max(now.getTime() + ms, until.getTime() + 1));
  const renewed = await retryOnDeadlock(() => sql.update(model, { [column]: next } as never, `id = ? AND ${sql.columnOf(model, column)} = ?`, [id, until], { now }));
  return renewed === 1 ? next : undefined;
}
