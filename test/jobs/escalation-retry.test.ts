import { afterEach, describe, expect, it } from 'vitest';
import { Ticket } from '../../src/db/models/index.ts';
import { defaultRetryDelay } from '../../src/jobs/define-job.ts';
import { retryUntilDone } from '../../src/jobs/definitions/delivery-retry.ts';
import { escalateTicketJob } from '../../src/jobs/definitions/escalate-ticket.ts';
import { startTestApp, type TestApp } from '../support/start-test-app.ts';
import { TEST_ENGINE } from '../support/test-database.ts';
import { waitFor } from '../support/wait-for.ts';
import { fileWidgetTicket } from '../support/tickets.ts';

describe('the escalation job’s retries', () => {
  it('never gives up, whatever the failure: backs off to every 5 minutes, as deliveries do', () => {
    const retryDelay = escalateTicketJob.options?.retryDelay;
    expect(retryDelay).toBe(retryUntilDone);
    const dbDown = new Error('connect ECONNREFUSED 127.0.0.1:3306');
    const bug = new TypeError('a failure nobody recognised');
    expect([1, 10, 11, 10_000].map((attempt) => retryDelay!(attempt, bug))).toEqual([1000, 300_000, 300_000, 300_000]);
    expect([1, 2, 3, 10, 11, 50, 10_000].map((attempt) => retryDelay!(attempt, dbDown))).toEqual([1000, 2000, 4000, 300_000, 300_000, 300_000, 300_000]);
    // What it had before: ten attempts, then nothing.
    expect(defaultRetryDelay(11, dbDown)).toBeNull();
  });
});

describe(`an escalation that keeps failing on ${TEST_ENGINE}`, () => {
  let app: TestApp | undefined;
  afterEach(async () => {
    await app?.server.db.sequelize.query('DROP TRIGGER IF EXISTS test_refuse_escalation').catch(() => undefined);
    await app?.close();
    app = undefined;
  });

  it('is retried after its tenth failure, and escalates once the fault clears', async () => {
    app = await startTestApp();
    const { sequelize, sql } = app.server.db;
    const ticket = await fileWidgetTicket(app.server.services, { description: 'Nobody can send to external addresses.', customer: { name: 'Esme', email: 'esme@example.com' } });
    await waitFor(() => app!.slack.messages.some((m) => m.channel === 'C0EXCH001'), 'the tier-1 post');

    // The database refuses to move the ticket to another tier (as a fault would) until told otherwise.
    await sequelize.query(
      TEST_ENGINE === 'sqlite'
        ? "CREATE TRIGGER test_refuse_escalation BEFORE UPDATE OF tier ON tickets WHEN NEW.tier > 1 BEGIN SELECT RAISE(ABORT, 'escalation refused by the test'); END"
        : "CREATE TRIGGER test_refuse_escalation BEFORE UPDATE ON tickets FOR EACH ROW BEGIN IF NEW.tier > 1 THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'escalation refused by the test'; END IF; END",
    );
    const job = async () => {
      const rows = await sql.query<{ id: number | string; data: string; fail_count: number | string | null; next_run_at: number | string | null; fail_reason: string | null }>(
        'SELECT id, data, fail_count, next_run_at, fail_reason FROM agenda_jobs WHERE name = ?',
        ['ticket.escalate'],
      );
      return rows.find((r) => (JSON.parse(r.data) as { ticketId: number }).ticketId === ticket.id)!;
    };
    // The tier's timeout passes with ten failed attempts behind it: the eleventh fails too.
    const { id } = await job();
    await sequelize.query('UPDATE agenda_jobs SET fail_count = 10, next_run_at = ? WHERE id = ?', { replacements: [Date.now(), id] });
    const failed = await waitFor(async () => {
      const row = await job();
      return Number(row.fail_count) === 11 ? row : undefined;
    }, 'the eleventh failure');
    expect(failed.fail_reason).toBeTruthy();
    // Not given up: tried again in 5 minutes.
    expect(failed.next_run_at).not.toBeNull();
    expect(Number(failed.next_run_at) - Date.now()).toBeGreaterThan(4 * 60_000);
    await ticket.reload();
    expect(ticket.tier).toBe(1);

    // The fault clears; when the retry comes due, the ticket escalates.
    await sequelize.query('DROP TRIGGER test_refuse_escalation');
    await sequelize.query('UPDATE agenda_jobs SET next_run_at = ? WHERE id = ?', { replacements: [Date.now(), id] });
    await waitFor(() => app!.slack.messages.some((m) => m.channel === 'C0MSGS002' && JSON.stringify(m.blocks).includes(`*HN-${ticket.id}*`)), 'the tier-2 post');
    expect(await Ticket.findByPk(ticket.id)).toMatchObject({ status: 'dispatched', tier: 2 });
  });
});
