import type { Models } from '../models/index.ts';
import { Sql } from '../sql.ts';
import type { InTransaction } from './in-transaction.ts';

/** A Slack event as kept to recognise Slack's retries of it: only its id and a few fields. */
export interface SlackEventToRecord {
  eventId: string;
  payload: Record<string, unknown>;
}

const keyOf = (eventId: string) => `slack:${eventId}`;

/** Slack events taken in (rows of inbound_events from Slack): each recorded once. */
export function slackEventsRepository(sql: Sql, { InboundEvent }: Pick<Models, 'InboundEvent'>) {
  return {
    /** Those of `eventIds` already recorded, in one statement. */
    async recorded(eventIds: readonly string[], opts: InTransaction = {}): Promise<Set<string>> {
      const keys = [...new Set(eventIds.map(keyOf))];
      if (keys.length === 0) return new Set();
      const rows = await sql.query<{ dedupe_key: string }>(`SELECT dedupe_key FROM inbound_events WHERE source = 'slack' AND dedupe_key IN (${Sql.list(keys.length)})`, keys, opts);
      return new Set(rows.map((r) => r.dedupe_key.slice('slack:'.length)));
    },

    /** Records events as processed, in one statement; a retry of one fails on the unique dedupe key. */
    async record(events: readonly SlackEventToRecord[], opts: InTransaction & { now: Date }): Promise<void> {
      await sql.insert(
        InboundEvent,
        events.map((e) => ({ source: 'slack' as const, dedupeKey: keyOf(e.eventId), payload: JSON.stringify(e.payload), status: 'processed' as const, processedAt: opts.now })),
        opts,
      );
    },
  };
}

export type SlackEventsRepository = ReturnType<typeof slackEventsRepository>;
