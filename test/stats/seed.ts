import { randomBytes } from 'node:crypto';
import type { Attributes } from 'sequelize';
import type { Database } from '../../src/db/database.ts';
import type { SlackMessage } from '../../src/db/models/slack-message.ts';
import type { Survey } from '../../src/db/models/survey.ts';
import type { Ticket } from '../../src/db/models/ticket.ts';
import { createCategory, createCustomer, createExpert } from '../support/factories.ts';

/** The range the seeded figures are computed for: November 2026, UTC. */
export const FROM = new Date('2026-11-01T00:00:00.000Z');
export const TO = new Date('2026-12-01T00:00:00.000Z');
export const MS = 1;
export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;
export const at = (base: Date, ms: number) => new Date(base.getTime() + ms);

const hex = () => randomBytes(16).toString('hex');

/**
 * Tickets, escalation messages and surveys with times on both sides of each end of
 * [FROM, TO): written as rows, so every time is the one given. The figures they make are
 * worked out by hand in stats.test.ts.
 */
export async function seedStatistics(db: Database) {
  const exchange = await createCategory({ key: 'exchange', name: 'Exchange' });
  const windows = await createCategory({ key: 'windows', name: 'Windows' });
  const alice = await createExpert({ name: 'Alice', slackUserId: 'U0ALICE001' });
  const bob = await createExpert({ name: 'Bob', slackUserId: 'U0BOB00001' });
  const customer = await createCustomer();

  const ticket = async (t: Partial<Attributes<Ticket>> & { createdAt: Date }) => {
    const [id] = await db.sql.insert(db.models.Ticket, [
      { categoryId: exchange.id, customerId: customer.id, source: 'widget', externalId: hex(), description: 'Outlook does not connect.', status: 'dispatched', tier: 1, dispatchedAt: t.createdAt, updatedAt: t.createdAt, ...t },
    ]);
    return id!;
  };
  const t1 = await ticket({ createdAt: at(FROM, -1 * MS), bookedAt: FROM, resolvedAt: at(FROM, HOUR), expertId: alice.id, status: 'close_pending' });
  const t2 = await ticket({ createdAt: FROM, bookedAt: at(FROM, 10 * MIN), resolvedAt: at(FROM, 2 * HOUR), expertId: alice.id, status: 'close_pending' });
  const t3 = await ticket({ createdAt: at(FROM, DAY), bookedAt: at(FROM, DAY + 30 * MIN), resolvedAt: TO, expertId: bob.id, status: 'close_pending' });
  const t4 = await ticket({ createdAt: at(FROM, 2 * DAY), bookedAt: at(FROM, 2 * DAY + 5 * MIN), expertId: bob.id, status: 'booked' });
  const t5 = await ticket({ createdAt: at(TO, -1 * MS) });
  const t6 = await ticket({ createdAt: TO, bookedAt: at(TO, MIN), expertId: bob.id, status: 'booked' });
  const t7 = await ticket({ createdAt: at(FROM, 3 * DAY), bookedAt: at(FROM, 3 * DAY + HOUR), resolvedAt: at(FROM, 3 * DAY + 3 * HOUR), expertId: alice.id, status: 'close_pending' });

  const message = (ticketId: number, purpose: Attributes<SlackMessage>['purpose'], tier: number, createdAt: Date): Partial<Attributes<SlackMessage>> => ({
    ticketId,
    purpose,
    tier,
    channel: 'C0EXCH001',
    expertId: null,
    createdAt,
    updatedAt: createdAt,
  });
  await db.sql.insert(db.models.SlackMessage, [
    message(t2, 'dispatch', 1, FROM), // the first tier: not an escalation
    message(t2, 'dispatch', 2, at(FROM, 5 * MIN)),
    message(t2, 'dispatch', 3, at(FROM, 6 * MIN)), // escalated twice: one ticket
    message(t3, 'dispatch', 2, at(FROM, -1 * MS)), // before the range
    message(t4, 'dispatch', 2, at(TO, -1 * MS)),
    message(t5, 'dispatch', 2, TO), // after the range
    message(t7, 'page', 2, at(FROM, 3 * DAY)), // a page, not the channel's dispatch message
    message(t5, 'escalation_alert', 2, at(FROM, DAY)),
    message(t5, 'escalation_alert', 2, at(FROM, 2 * DAY)), // exhausted again in a later round: one ticket
    message(t3, 'escalation_alert', 2, FROM),
    message(t4, 'escalation_alert', 2, TO), // after the range
  ]);

  // Each survey has its own ticket (one survey per ticket), filed long before the range.
  const survey = async (s: Partial<Attributes<Survey>> & Pick<Attributes<Survey>, 'expertId' | 'categoryId'>) => {
    const ticketId = await ticket({ createdAt: new Date('2026-01-05T00:00:00.000Z'), categoryId: s.categoryId, expertId: s.expertId, status: 'closed' });
    await db.sql.insert(db.models.Survey, [{ ticketId, tokenHash: hex(), tokenSalt: hex(), ...s }]);
  };
  const answered = (solved: boolean, timeliness: number, helpfulness: number, answeredAt: Date) => ({ status: 'answered' as const, solved, timeliness, helpfulness, answeredAt });
  const defaulted = (solved: boolean, timeliness: number, helpfulness: number, answeredAt: Date) => ({ status: 'defaulted' as const, solved, timeliness, helpfulness, answeredAt });
  await survey({ expertId: alice.id, categoryId: exchange.id, ...answered(true, 5, 4, FROM) });
  await survey({ expertId: alice.id, categoryId: exchange.id, ...answered(false, 2, 3, at(FROM, 5 * DAY)) });
  await survey({ expertId: alice.id, categoryId: windows.id, ...defaulted(true, 4, 4, at(TO, -1 * MS)) });
  await survey({ expertId: bob.id, categoryId: exchange.id, ...answered(true, 3, 5, at(FROM, DAY)) });
  await survey({ expertId: bob.id, categoryId: windows.id, ...answered(true, 4, 2, TO) }); // after the range
  await survey({ expertId: bob.id, categoryId: exchange.id, status: 'pending' }); // not filled in
  await survey({ expertId: alice.id, categoryId: exchange.id, ...answered(true, 1, 1, at(FROM, -1 * MS)) }); // before the range

  return { exchange, windows, alice, bob, tickets: { t1, t2, t3, t4, t5, t6, t7 } };
}
