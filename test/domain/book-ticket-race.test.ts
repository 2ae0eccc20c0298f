import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TicketAlias, type Expert } from '../../src/db/models/index.ts';
import { createSequelize } from '../../src/db/create-sequelize.ts';
import { readIdStep, Sql } from '../../src/db/sql.ts';
import { unitOfWorkFor } from '../../src/db/unit-of-work.ts';
import { createRepositories } from '../../src/db/repositories/index.ts';
import { bookTicket, type BookingOutcome } from '../../src/domain/booking/book-ticket.ts';
import type { DomainContext } from '../../src/domain/domain-context.ts';
import { createQualifiedExpert } from '../support/experts.ts';
import { startTestApp, type TestApp } from '../support/start-test-app.ts';
import { TEST_ENGINE } from '../support/test-database.ts';
import { fileWidgetTicket } from '../support/tickets.ts';

/**
 * SQLite: a connection waiting for the write lock sleeps in one of libuv's four threads, and
 * the holder needs one to finish; a process queues its own transactions for that reason (see
 * create-sequelize.ts). Three contexts, with the app's own queue, leave the holder a thread.
 */
const CONTEXTS = TEST_ENGINE === 'sqlite' ? 3 : 10;
const ROUNDS = TEST_ENGINE === 'sqlite' ? 6 : 3;

/**
 * Within one process, simultaneous attempts on a ticket wait for the first and share its
 * answer, so racing them there never reaches the database's conditional write. These
 * attempts each come from a context with its own Sequelize instance (own connections, own
 * in-process waiting), as attempts from different processes would: only the claiming
 * UPDATE decides between them.
 */
describe(`bookTicket raced from separate database connections on ${TEST_ENGINE}`, () => {
  let app: TestApp;
  const contexts: { ctx: DomainContext; close(): Promise<void> }[] = [];
  beforeAll(async () => {
    app = await startTestApp();
    for (let i = 0; i < CONTEXTS; i++) {
      const sequelize = createSequelize(app.database.url);
      await sequelize.authenticate();
      await readIdStep(sequelize);
      // Opened now rather than during the race: an empty transaction takes its connection.
      await unitOfWorkFor(sequelize)(async () => undefined);
      const services = app.server.services;
      const sql = new Sql(sequelize);
      const db = { sequelize, models: services.db.models, sql, unitOfWork: unitOfWorkFor(sequelize), ...createRepositories(sql, services.db.models) };
      contexts.push({ ctx: { ...services, db }, close: () => sequelize.close() });
    }
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await app.close();
  });

  const file = () => fileWidgetTicket(app.server.services, { description: 'Mailbox quota warnings for everyone.', customer: { name: 'Rachel', email: 'rachel@example.com' } });

  /** Every context tries to book `ticketId` for its own expert, all released at the same moment. */
  async function race(ticketId: number, experts: Expert[]): Promise<BookingOutcome[]> {
    let go!: () => void;
    const gate = new Promise<void>((ok) => (go = ok));
    const attempts = contexts.map(({ ctx }, i) => gate.then(() => bookTicket(ctx, { ticketId, expertId: experts[i]!.id })));
    go();
    return Promise.all(attempts);
  }

  it('exactly one of simultaneous attempts books the ticket and gets an expert alias, round after round', async () => {
    const experts = await Promise.all(Array.from({ length: CONTEXTS }, () => createQualifiedExpert('exchange-l1', 'ms-exchange')));
    for (let round = 0; round < ROUNDS; round++) {
      const ticket = await file();
      const outcomes = await race(ticket.id, experts);
      expect(outcomes.filter((o) => o === 'booked')).toHaveLength(1);
      expect(outcomes.filter((o) => o === 'already_booked')).toHaveLength(CONTEXTS - 1);
      await ticket.reload();
      expect(ticket.status).toBe('booked');
      expect(ticket.expertId).toBe(experts[outcomes.indexOf('booked')]!.id);
      const aliases = await TicketAlias.findAll({ where: { ticketId: ticket.id, side: 'expert' } });
      expect(aliases.map((a) => a.expertId)).toEqual([ticket.expertId]);
      const followUps = await app.server.db.sql.query<{ data: string }>('SELECT data FROM agenda_jobs WHERE name = ?', ['ticket.complete-booking']);
      expect(followUps.filter((j) => (JSON.parse(j.data) as { ticketId: number }).ticketId === ticket.id)).toHaveLength(1);
    }
  });
});
