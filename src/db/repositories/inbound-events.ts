import type { Attributes } from 'sequelize';
import type { InboundEvent } from '../models/inbound-event.ts';
import type { Models } from '../models/index.ts';
import { Sql } from '../sql.ts';
import type { InTransaction } from './in-transaction.ts';

export type InboundEventRow = Attributes<InboundEvent>;
type Source = InboundEventRow['source'];

/** Deliveries and events as received (webhooks, Slack events), by dedupe key, and what became of them. */
export function inboundEventsRepository(sql: Sql, { InboundEvent }: Pick<Models, 'InboundEvent'>) {
  return {
    byId(id: number, opts: InTransaction = {}): Promise<InboundEventRow | undefined> {
      return sql.selectOne(InboundEvent, 'id = ?', [id], opts);
    },

    /** Which of `keys` are stored already for `source`, in one statement. */
    async knownKeys(source: Source, keys: readonly string[], opts: InTransaction = {}): Promise<Set<string>> {
      const unique = [...new Set(keys)];
      if (unique.length === 0) return new Set();
      const rows = await sql.query<{ dedupe_key: string }>(`SELECT dedupe_key FROM inbound_events WHERE source = ? AND dedupe_key IN (${Sql.list(unique.length)})`, [source, ...unique], opts);
      return new Set(rows.map((r) => r.dedupe_key));
    },

    /** Records events handled as they arrived (a Slack event), as processed, in one statement; a key stored already fails it (unique index). */
    async recordProcessed(source: Source, rows: readonly { dedupeKey: string; payload: string }[], opts: InTransaction & { now: Date }): Promise<void> {
      await sql.insert(
        InboundEvent,
        rows.map((r) => ({ source, dedupeKey: r.dedupeKey, payload: r.payload, status: 'processed' as const, processedAt: opts.now })),
        opts,
      );
    },

    /** Stores received deliveries in one statement; their ids in order. A key stored already fails it (unique index). */
    storeMany(source: Source, rows: readonly { dedupeKey: string; payload: string }[], opts: InTransaction = {}): Promise<number[]> {
      return sql.insert(
        InboundEvent,
        rows.map((r) => ({ source, dedupeKey: r.dedupeKey, payload: r.payload, status: 'received' as const })),
        opts,
      );
    },

    /** Records how processing ended, unless it had ended already. */
    async recordOutcome(id: number, outcome: { status: 'processed' | 'ignored' | 'unroutable'; error: string | null }, now: Date, opts: InTransaction = {}): Promise<void> {
      await sql.update(InboundEvent, { ...outcome, processedAt: now }, 'id = ? AND processed_at IS NULL', [id], { ...opts, now });
    },

    /** Records why processing failed this time (it is retried). */
    async recordError(id: number, error: string, now: Date, opts: InTransaction = {}): Promise<void> {
      await sql.update(InboundEvent, { error }, 'id = ?', [id], { ...opts, now });
    },
  };
}

export type InboundEventsRepository = ReturnType<typeof inboundEventsRepository>;
