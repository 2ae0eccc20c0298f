import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { QueryTypes } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/database.ts';
import { REINSTATED_NOTICE } from '../../src/domain/ranking/reinstate-expert.ts';
import { cliWorkspace, type CliWorkspace } from '../support/cli-workspace.ts';
import { TEST_ENGINE } from '../support/test-database.ts';

const ALICE = 'U0ALICE001';
const BOB = 'U0BOB0001';
const LONG = 120_000;

describe(`npm run helpnet -- experts list|approve|suspend|reinstate|check-in|check-out (${TEST_ENGINE})`, () => {
  let cli: CliWorkspace;
  let db: Database;

  const helpnet = (...args: string[]) => cli.helpnet(['experts', ...args]);
  const expert = (slackUserId: string) => db.models.Expert.findOne({ where: { slackUserId }, rejectOnEmpty: true });
  const jobs = (name: string) => db.sequelize.query<{ data: string }>('SELECT data FROM agenda_jobs WHERE name = ?', { replacements: [name], type: QueryTypes.SELECT });
  const jobMessageIds = async (name: string) =>
    (await jobs(name)).map((j) => (JSON.parse(typeof j.data === 'string' ? j.data : JSON.stringify(j.data)) as { messageId: number }).messageId);

  beforeAll(async () => {
    cli = await cliWorkspace('experts');
    const csv = join(cli.dir, 'experts.csv');
    writeFileSync(
      csv,
      ['slack_user_id,name,email,categories,groups,checked_in', `${ALICE},"Alice, Admin",alice@example.com,ms-exchange,exchange-l1;messaging-l2,true`, `${BOB},=Bob,,windows-nt,windows-l1,`].join('\n'),
    );
    expect((await cli.helpnet(['experts', 'import', csv])).code).toBe(0);
    db = await openDatabase(cli.database.url, { migrate: false });
  }, LONG);
  afterAll(async () => {
    await db?.close();
    await cli?.database.drop();
  });

  it('lists the experts as CSV that parses back, and as JSON', async () => {
    const [csv, json] = await Promise.all([helpnet('list'), helpnet('list', '--json')]);
    expect(csv.err).toBe('');
    expect(csv.code).toBe(0);
    const rows = parse(csv.out, { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual(['slack_user_id', 'name', 'email', 'checked_in', 'suspended', 'score', 'categories', 'groups']);
    expect(rows).toEqual([
      { slack_user_id: ALICE, name: 'Alice, Admin', email: 'alice@example.com', checked_in: 'true', suspended: 'false', score: '', categories: 'ms-exchange', groups: 'exchange-l1;messaging-l2' },
      // A name that a spreadsheet would take for a formula is written as text.
      { slack_user_id: BOB, name: "'=Bob", email: '', checked_in: 'false', suspended: 'false', score: '', categories: 'windows-nt', groups: 'windows-l1' },
    ]);
    expect(json.err).toBe('');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out)).toEqual([
      { slack_user_id: ALICE, name: 'Alice, Admin', email: 'alice@example.com', checked_in: true, suspended: false, score: null, categories: ['ms-exchange'], groups: ['exchange-l1', 'messaging-l2'] },
      { slack_user_id: BOB, name: '=Bob', email: null, checked_in: false, suspended: false, score: null, categories: ['windows-nt'], groups: ['windows-l1'] },
    ]);
  }, LONG);

  it('approves an expert for categories, and refuses an unknown category or expert, approving nothing', async () => {
    const [unknown, nobody, none] = await Promise.all([helpnet('approve', BOB, 'ms-exchange,printers'), helpnet('approve', 'U0NOBODY01', 'ms-exchange'), helpnet('approve', BOB)]);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('unknown category "printers" (known: ms-exchange, windows-nt)');
    expect(unknown.out).toBe('');
    expect(nobody.code).toBe(1);
    expect(nobody.err).toContain('no expert with Slack user id U0NOBODY01');
    expect(none.code).toBe(2);
    const bob = await expert(BOB);
    expect(await db.models.ExpertSkill.count({ where: { expertId: bob.id } })).toBe(1);

    const ok = await helpnet('approve', BOB, 'ms-exchange,windows-nt');
    expect(ok.err).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('approved for ms-exchange, windows-nt (1 newly approved)');
    const skills = await db.models.ExpertSkill.findAll({ where: { expertId: bob.id } });
    expect(skills.map((s) => [s.status, s.decidedBy]).sort()).toEqual([
      ['approved', 'import'],
      ['approved', 'operator (CLI)'],
    ]);
  }, LONG);

  it('checks an expert out and in', async () => {
    const out = await helpnet('check-out', ALICE);
    expect(out.code).toBe(0);
    expect(out.out).toContain('is now checked out');
    expect((await expert(ALICE)).checkedIn).toBe(false);
    const again = await helpnet('check-out', ALICE);
    expect(again.code).toBe(0);
    expect(again.out).toContain('is already checked out');
    const back = await helpnet('check-in', ALICE);
    expect(back.code).toBe(0);
    expect((await expert(ALICE)).checkedIn).toBe(true);
    const [nobody, extra] = await Promise.all([helpnet('check-in', 'U0NOBODY01'), helpnet('check-in', ALICE, 'now')]);
    expect(nobody.code).toBe(1);
    expect(extra.code).toBe(2);
  }, LONG);

  it('suspends an expert with a reason, telling them and the managers; reinstates them, telling them', async () => {
    const [noReason, badId] = await Promise.all([helpnet('suspend', ALICE), helpnet('suspend', 'alice', '--reason', 'x')]);
    expect(noReason.code).toBe(2);
    expect(noReason.err).toContain('--reason');
    expect(badId.code).toBe(2);
    expect((await expert(ALICE)).suspendedAt).toBeNull();

    const suspended = await helpnet('suspend', ALICE, '--reason', 'Missed three bookings <!channel>');
    expect(suspended.err).toBe('');
    expect(suspended.code).toBe(0);
    expect(await expert(ALICE)).toMatchObject({ suspensionReason: 'Missed three bookings <!channel>', suspendedAt: expect.any(Date) });
    const alice = await expert(ALICE);
    const messages = await db.models.SlackMessage.findAll({ where: { expertId: alice.id }, order: [['id', 'ASC']] });
    expect(messages.map((m) => [m.purpose, m.channel])).toEqual([
      ['suspension_alert', 'C0MGRS001'],
      ['notice', ALICE],
    ]);
    const dm = JSON.parse(messages[1]!.details!) as { text: string };
    expect(dm.text).toContain('A Helpnet operator has suspended your Helpnet expert status: Missed three bookings &lt;!channel&gt;.');
    // The messages go out through jobs a running server picks up.
    expect((await jobMessageIds('slack.post')).sort()).toEqual(messages.map((m) => m.id).sort());
    const again = await helpnet('suspend', ALICE, '--reason', 'twice');
    expect(again.code).toBe(0);
    expect(again.out).toContain('already suspended');
    const listed = parse((await helpnet('list')).out, { columns: true }) as Record<string, string>[];
    expect(listed.find((r) => r.slack_user_id === ALICE)!.suspended).toBe('true');

    const reinstated = await helpnet('reinstate', ALICE);
    expect(reinstated.err).toBe('');
    expect(reinstated.code).toBe(0);
    expect(await expert(ALICE)).toMatchObject({ suspendedAt: null, suspensionReason: null });
    const alert = await db.models.SlackMessage.findByPk(messages[0]!.id, { rejectOnEmpty: true });
    expect(JSON.parse(alert.details!)).toMatchObject({ reinstatedBy: 'operator (CLI)' });
    expect(await jobMessageIds('slack.update')).toEqual([alert.id]);
    const notices = await db.models.SlackMessage.findAll({ where: { expertId: alice.id, purpose: 'notice' }, order: [['id', 'ASC']] });
    expect(JSON.parse(notices.at(-1)!.details!)).toEqual({ text: REINSTATED_NOTICE });
    const [twice, nobody] = await Promise.all([helpnet('reinstate', ALICE), helpnet('reinstate', 'U0NOBODY01')]);
    expect(twice.code).toBe(0);
    expect(twice.out).toContain('not suspended');
    expect(nobody.code).toBe(1);
  }, 2 * LONG);

  it('refuses bad usage with exit 2 and the usage on standard error', async () => {
    const [unknown, listArg] = await Promise.all([helpnet('frobnicate'), helpnet('list', '--csv')]);
    for (const r of [unknown, listArg]) {
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toContain('experts suspend SLACK_USER_ID --reason TEXT');
    }
  }, LONG);
});
