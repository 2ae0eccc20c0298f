import { Op, type ModelStatic, type Model } from 'sequelize';
import { retryOnDeadlock } from './retry-deadlock.ts';

/**
 * A lease on one row: the right, for `ms`, to do something only one worker may do at a time
 * (post a thread's replies in order, send a ticket's Zendesk comments). Taken by one
 * conditional UPDATE, so it works across processes; a crashed holder's lease runs out.
 */
export async function takeLease<M extends Model>(model: ModelStatic<M>, id: number, column: string, ms: number): Promise<Date | undefined> {
  const now = new Date();
  const until = new Date(now.getTime() + ms);
  const [taken] = await retryOnDeadlock(() =>
    model.update({ [column]: until } as never, {
      where: { id, [Op.or]: [{ [column]: null }, { [column]: { [Op.lt]: now } }] } as never,
    }),
  );
  return taken === 1 ? until : undefined;
}

/** Gives a lease back early (only the holder's own lease: matched by its expiry). */
export async function dropLease<M extends Model>(model: ModelStatic<M>, id: number, column: string, until: Date): Promise<void> {
  await retryOnDeadlock(() => model.update({ [column]: null } as never, { where: { id, [column]: until } as never }));
}

/** Keeps a lease until `newUntil` instead of giving it back (only the holder's own lease). */
export async function extendLease<M extends Model>(model: ModelStatic<M>, id: number, column: string, until: Date, newUntil: Date): Promise<void> {
  await retryOnDeadlock(() => model.update({ [column]: newUntil } as never, { where: { id, [column]: until } as never }));
}
