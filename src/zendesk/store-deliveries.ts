import { UniqueConstraintError, type Transaction } from 'sequelize';
import type { DatabaseAccess } from '../db/database.ts';
import { WORK, type Outbox } from '../domain/domain-context.ts';
import { GroupCommit } from '../lib/group-commit.ts';

export interface ZendeskDeliveryRow {
  /** What identifies the delivery (see zendeskDedupeKey). */
  dedupeKey: string;
  /** The body as received. */
  payload: string;
}

export type StoreOutcome = 'stored' | 'duplicate';

/**
 * Stores webhook deliveries with the job that processes each, before they are answered.
 * Deliveries that arrive while a write is under way are written together in the next
 * (group commit): a burst of webhooks costs a few transactions, not one per delivery. A
 * repeat of a stored delivery (same dedupe key, also within one batch) is `duplicate`.
 */
export function createDeliveryStore(deps: { db: DatabaseAccess; outbox: Outbox }): { store(delivery: ZendeskDeliveryRow): Promise<StoreOutcome> } {
  const { unitOfWork, inboundEvents } = deps.db;

  const insert = async (transaction: Transaction, deliveries: ZendeskDeliveryRow[]) => {
    const ids = await inboundEvents.storeMany('zendesk', deliveries, { transaction });
    for (const inboundEventId of ids) await deps.outbox.add(transaction, WORK.processInbound, { inboundEventId });
  };

  const storeOne = async (delivery: ZendeskDeliveryRow): Promise<StoreOutcome> => {
    try {
      await unitOfWork((transaction) => insert(transaction, [delivery]));
      return 'stored';
    } catch (err) {
      if (err instanceof UniqueConstraintError) return 'duplicate';
      throw err;
    }
  };

  const storeEach = async (deliveries: ZendeskDeliveryRow[]): Promise<PromiseSettledResult<StoreOutcome>[]> => {
    const outcomes: PromiseSettledResult<StoreOutcome>[] = [];
    for (const d of deliveries) {
      try {
        outcomes.push({ status: 'fulfilled', value: await storeOne(d) });
      } catch (reason) {
        outcomes.push({ status: 'rejected', reason });
      }
    }
    return outcomes;
  };

  const storeBatch = async (deliveries: ZendeskDeliveryRow[]): Promise<PromiseSettledResult<StoreOutcome>[]> => {
    if (deliveries.length === 1) return storeEach(deliveries);
    try {
      return await unitOfWork(async (transaction) => {
        const seen = await inboundEvents.knownKeys('zendesk', deliveries.map((d) => d.dedupeKey), { transaction });
        const outcomes = deliveries.map((d): StoreOutcome => {
          if (seen.has(d.dedupeKey)) return 'duplicate';
          seen.add(d.dedupeKey);
          return 'stored';
        });
        await insert(transaction, deliveries.filter((_, i) => outcomes[i] === 'stored'));
        return outcomes.map((value) => ({ status: 'fulfilled' as const, value }));
      });
    } catch {
      // A key another process stored meanwhile (or one the database compares differently,
      // such as by case) fails the whole batch: each delivery on its own, then.
      return storeEach(deliveries);
    }
  };

  const group = new GroupCommit(storeBatch);
  return { store: (delivery) => group.add(delivery) };
}
