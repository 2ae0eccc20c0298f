import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSequelize } from '../../src/db/create-sequelize.ts';
import { TicketMessage } from '../../src/db/models/index.ts';
import { LATE_COMMIT_WINDOW_MS, readCustomerTranscript } from '../../src/domain/relay/read-transcript.ts';
import type { DomainContext } from '../../src/domain/domain-context.ts';
import { startTestApp, type TestApp } from '../support/start-test-app.ts';
import { TEST_ENGINE } from '../support/test-database.ts';
import { fileWidgetTicket } from '../support/tickets.ts';

describe(`the customer's transcript read by cursor, on ${TEST_ENGINE}`, () => {
  let app: TestApp;
  let ctx: DomainContext;
  beforeAll(async () => {
    app = await startTestApp();
    ctx = app.server.services;
  });
  afterAll(() => app.close());

  const customerSays = (ticketId: number, body: string, createdAt: Date) =>
    TicketMessage.create({ ticketId, side: 'customer', aliasName: null, expertId: null, body, originalBody: null, via: 'widget', sourceKey: null, createdAt, updatedAt: createdAt });

  it('moves the cursor only past messages older than the late-commit window, and sends the younger ones again', async () => {
    const ticket = await fileWidgetTicket(ctx);
    const before = (await readCustomerTranscript(ctx, ticket, 0)).messages.length;
    const now = new Date();
    const old = await customerSays(ticket.id, 'written three minutes ago', new Date(now.getTime() - LATE_COMMIT_WINDOW_MS - 60_000));
    const young = await customerSays(ticket.id, 'written just now', now);
    const at = { ...ctx, now: () => now };

    const first = await readCustomerTranscript(at, ticket, 0);
    expect(first.messages.slice(before).map((m) => m.text)).toEqual(['written three minutes ago', 'written just now']);
    expect(first.cursor).toBe(old.id);

    // The young message comes again until the window has passed, then the cursor moves on.
    const again = await readCustomerTranscript(at, ticket, first.cursor);
    expect(again.messages.map((m) => m.id)).toEqual([young.id]);
    expect(again.cursor).toBe(old.id);
    const later = await readCustomerTranscript({ ...ctx, now: () => new Date(now.getTime() + LATE_COMMIT_WINDOW_MS + 1000) }, ticket, again.cursor);
    expect(later.messages.map((m) => m.id)).toEqual([young.id]);
    expect(later.cursor).toBe(young.id);
    expect((await readCustomerTranscript(ctx, ticket, later.cursor)).messages).toEqual([]);
  });

  it('treats a cursor that is not a positive whole number as the start', async () => {
    const ticket = await fileWidgetTicket(ctx);
    const all = await readCustomerTranscript(ctx, ticket, 0);
    for (const bad of [Number.NaN, -5, 1.5, Number.MAX_VALUE]) expect((await readCustomerTranscript(ctx, ticket, bad)).messages).toEqual(all.messages);
  });

  // Only MariaDB gives ids to transactions that commit in another order; SQLite writes one
  // transaction at a time, so there the ids always commit in order.
  if (TEST_ENGINE === 'mysql') {
    it('still shows a message that committed after one with a higher id had been read', async () => {
      const ticket = await fileWidgetTicket(ctx);
      const other = createSequelize(app.database.url);
      try {
        const read = await readCustomerTranscript(ctx, ticket, 0);
        // The slow writer takes its id first and commits last.
        const slow = await other.transaction();
        const late = await TicketMessage.create(
          { ticketId: ticket.id, side: 'customer', aliasName: null, expertId: null, body: 'sent first, committed last', originalBody: null, via: 'widget', sourceKey: null },
          { transaction: slow as never },
        ).catch(async (err: unknown) => {
          await slow.rollback();
          throw err;
        });
        const quick = await customerSays(ticket.id, 'sent second, committed first', new Date());
        expect(quick.id).toBeGreaterThan(late.id);
        const seen = await readCustomerTranscript(ctx, ticket, read.cursor);
        expect(seen.messages.map((m) => m.id)).toEqual([quick.id]);
        await slow.commit();
        const next = await readCustomerTranscript(ctx, ticket, seen.cursor);
        expect(next.messages.map((m) => m.id)).toEqual([late.id, quick.id]);
      } finally {
        await other.close();
      }
    });
  }
});
