import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSequelize } from '../../src/db/create-sequelize.ts';
import type { Ticket} from '../../src/db/models/index.ts';
import { Customer, TicketAlias } from '../../src/db/models/index.ts';
import { createRepositories } from '../../src/db/repositories/index.ts';
import { readIdStep, Sql } from '../../src/db/sql.ts';
import { unitOfWorkFor } from '../../src/db/unit-of-work.ts';
import { bookTicket, type BookingOutcome } from '../../src/domain/booking/book-ticket.ts';
import type { DomainContext } from '../../src/domain/domain-context.ts';
import { escalateTicket } from '../../src/domain/escalation/escalate-ticket.ts';
import { cancelTicket, type CancelOutcome } from '../../src/domain/tickets/cancel-ticket.ts';
import { fileTicket } from '../../src/domain/tickets/file-ticket.ts';
import { createQualifiedExpert } from '../support/experts.ts';
import { startTestApp, type TestApp } from '../support/start-test-app.ts';
import { TEST_ENGINE } from '../support/test-database.ts';
import { waitFor } from '../support/wait-for.ts';

const TIMEOUT = 90_000;
const ROUNDS = TEST_ENGINE === 'sqlite' ? 6 : 8;

describe(`cancelTicket on ${TEST_ENGINE}`, () => {
  let app: TestApp;
  // A second connection pool, as another process would have: Book and Cancel race there
  // only through the database's conditional writes.
  let other: { ctx: DomainContext; close(): Promise<void> };
  beforeAll(async () => {
    app = await startTestApp();
    const sequelize = createSequelize(app.database.url);
    await sequelize.authenticate();
    await readIdStep(sequelize);
    await unitOfWorkFor(sequelize)(async () => undefined);
    const services = app.server.services;
    const sql = new Sql(sequelize);
    other = { ctx: { ...services, db: { sequelize, models: services.db.models, sql, unitOfWork: unitOfWorkFor(sequelize), ...createRepositories(sql, services.db.models) } }, close: () => sequelize.close() };
  }, TIMEOUT);
  afterAll(async () => {
    await other?.close();
    await app?.close();
  });

  const ctx = () => app.server.services;

  /** A portal customer's ticket in MS Exchange, filed as the portal files it. */
  async function portalTicket(): Promise<{ ticket: Ticket; customerId: number }> {
    const customer = await Customer.create({ name: 'Paula Portal', email: `paula.${randomUUID().slice(0, 8)}@customer.example` });
    const filed = await fileTicket(ctx(), { source: 'portal', externalId: `portal-${randomUUID()}`, categoryKey: 'ms-exchange', description: 'The shared calendar does not sync.', customer: { customerId: customer.id } });
    if (filed.outcome !== 'filed') throw new Error(filed.outcome);
    return { ticket: filed.ticket, customerId: customer.id };
  }

  const cardOf = (ticketId: number) => app.slack.messages.find((m) => m.channel === 'C0EXCH001' && JSON.stringify(m.blocks ?? '').includes(`*HN-${ticketId}*`));

  it('files a portal ticket on the account’s own customer row, dispatched like any other', { timeout: TIMEOUT }, async () => {
    const { ticket, customerId } = await portalTicket();
    expect(ticket.source).toBe('portal');
    expect(ticket.customerId).toBe(customerId);
    expect(ticket.status).toBe('dispatched');
    await waitFor(() => cardOf(ticket.id), 'the channel post');
  });

  it('withdraws an unbooked ticket: cancelled, the card says so and offers no Book, the escalation does nothing, the customer alias is freed', { timeout: TIMEOUT }, async () => {
    const { ticket, customerId } = await portalTicket();
    const card = await waitFor(() => cardOf(ticket.id), 'the channel post');
    expect(JSON.stringify(card.blocks)).toContain('ticket.book');

    expect(await cancelTicket(ctx(), { ticketId: ticket.id, customerId })).toBe('cancelled');
    await ticket.reload();
    expect(ticket.status).toBe('cancelled');
    await waitFor(() => JSON.stringify(card.blocks).includes('Withdrawn by the customer'), 'the card updated');
    expect(JSON.stringify(card.blocks)).not.toContain('ticket.book');
    expect(await TicketAlias.count({ where: { ticketId: ticket.id, side: 'customer', releasedAt: null } })).toBe(0);

    // The tier's timeout passing now moves nothing.
    expect(await escalateTicket(ctx(), { ticketId: ticket.id, tier: 1, round: 1 })).toEqual({ outcome: 'stale' });
    await ticket.reload();
    expect(ticket.status).toBe('cancelled');
    expect(ticket.tier).toBe(1);

    // Book after it: closed. Cancel again: finished, nothing changes.
    const expert = await createQualifiedExpert('exchange-l1', 'ms-exchange');
    expect(await bookTicket(ctx(), { ticketId: ticket.id, expertId: expert.id })).toBe('closed');
    expect(await cancelTicket(ctx(), { ticketId: ticket.id, customerId })).toBe('finished');
  });

  it('refuses once an expert has booked it (taken), and someone else’s ticket as not found; nothing changes', { timeout: TIMEOUT }, async () => {
    const { ticket, customerId } = await portalTicket();
    const expert = await createQualifiedExpert('exchange-l1', 'ms-exchange');
    expect(await bookTicket(ctx(), { ticketId: ticket.id, expertId: expert.id })).toBe('booked');
    expect(await cancelTicket(ctx(), { ticketId: ticket.id, customerId })).toBe('taken');
    await ticket.reload();
    expect(ticket.status).toBe('booked');

    const { ticket: mine } = await portalTicket();
    expect(await cancelTicket(ctx(), { ticketId: mine.id, customerId })).toBe('not_found');
    expect(await cancelTicket(ctx(), { ticketId: 999_999_999, customerId })).toBe('not_found');
    await mine.reload();
    expect(mine.status).toBe('dispatched');
  });

  it('races Book from another connection: exactly one of them wins, and the loser says why', { timeout: TIMEOUT }, async () => {
    const expert = await createQualifiedExpert('exchange-l1', 'ms-exchange');
    const seen = new Set<string>();
    for (let round = 0; round < ROUNDS; round++) {
      const { ticket, customerId } = await portalTicket();
      let go!: () => void;
      const gate = new Promise<void>((ok) => (go = ok));
      // Which one is set off first alternates, so both orders are tried.
      const startBook = () => gate.then(() => bookTicket(other.ctx, { ticketId: ticket.id, expertId: expert.id }));
      const startCancel = () => gate.then(() => cancelTicket(ctx(), { ticketId: ticket.id, customerId }));
      let book: Promise<BookingOutcome>;
      let cancel: Promise<CancelOutcome>;
      if (round % 2 === 0) {
        book = startBook();
        cancel = startCancel();
      } else {
        cancel = startCancel();
        book = startBook();
      }
      go();
      const [booked, cancelled] = await Promise.all([book, cancel]);
      await ticket.reload();
      if (booked === 'booked') {
        expect(cancelled).toBe('taken');
        expect(ticket.status).toBe('booked');
        expect(ticket.expertId).toBe(expert.id);
      } else {
        expect(booked).toBe('closed');
        expect(cancelled).toBe('cancelled');
        expect(ticket.status).toBe('cancelled');
        expect(ticket.expertId).toBeNull();
        expect(await TicketAlias.count({ where: { ticketId: ticket.id, side: 'expert' } })).toBe(0);
      }
      seen.add(`${booked}/${cancelled}`);
    }
    expect([...seen].every((s) => s === 'booked/taken' || s === 'closed/cancelled')).toBe(true);
  });
});
