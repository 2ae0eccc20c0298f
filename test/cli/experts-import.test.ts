import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/database.ts';
import { cliWorkspace, type CliWorkspace } from '../support/cli-workspace.ts';
import { TEST_ENGINE, type TestDatabase } from '../support/test-database.ts';
import { testRouting } from '../support/test-routing.ts';

describe(`npm run helpnet -- experts import (${TEST_ENGINE})`, () => {
  let cli: CliWorkspace;
  let dir: string;
  let database: TestDatabase;
  let db: Database;
  beforeAll(async () => {
    cli = await cliWorkspace('import');
    ({ dir, database } = cli);
  });
  afterAll(async () => {
    await db?.close();
    await database?.drop();
  });

  const run = async (csv: string) => {
    const file = join(dir, `experts-${Math.random()}.csv`);
    writeFileSync(file, csv);
    return cli.helpnet(['experts', 'import', file]);
  };

  it('reports every bad row with its line and applies nothing', async () => {
    const { code, err } = await run(
      [
        'slack_user_id,name,email,categories,groups',
        'U0ALICE001,Alice Admin,alice@example.com,ms-exchange,exchange-l1',
        // A quoted cell over two lines, then an empty line: a row is reported by the line it starts on.
        'U0CAROL001,"Carol',
        'Two Lines",carol-at-example,ms-exchange,exchange-l1',
        '',
        'bob,Bob,not-an-email,ms-exchange;printers,exchange-l1;l3',
        'U0ALICE001,Alice Again,,windows-nt,',
      ].join('\n'),
    );
    expect(code).toBe(1);
    expect(err).toContain('nothing imported');
    expect(err).toContain('line 3: email is not an email address');
    expect(err).not.toContain('line 4:');
    expect(err).toContain('line 6: slack_user_id must be a Slack user id');
    expect(err).toContain('line 6: email is not an email address');
    expect(err).toContain('line 6: unknown category "printers"');
    expect(err).toContain('line 6: unknown group "l3"');
    expect(err).toContain('line 7: U0ALICE001 is already on line 2');
    db = await openDatabase(database.url);
    expect(await db.models.Expert.count()).toBe(0);
  });

  it('creates approved experts in their groups, and updates them on a second import', async () => {
    const first = await run(
      [
        'slack_user_id,name,email,categories,groups,checked_in',
        'U0ALICE001,Alice Admin,alice@example.com,ms-exchange;windows-nt,exchange-l1;windows-l1,yes',
        '"U0BOB0001","Bob, the Builder",,windows-nt,windows-l1,',
      ].join('\n'),
    );
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    expect(first.out).toContain('2 new, 0 updated');
    const alice = await db.models.Expert.findOne({ where: { slackUserId: 'U0ALICE001' }, include: ['skills', 'memberships'] });
    expect(alice).toMatchObject({ name: 'Alice Admin', email: 'alice@example.com', checkedIn: true });
    const skills = (alice as unknown as { skills: { status: string }[] }).skills;
    expect(skills.map((s) => s.status)).toEqual(['approved', 'approved']);
    expect(await db.models.Expert.findOne({ where: { slackUserId: 'U0BOB0001' } })).toMatchObject({ name: 'Bob, the Builder', checkedIn: false });

    // Spreadsheets often quote every cell, the header too.
    const second = await run(['"slack_user_id","name","email","categories","groups"', 'U0ALICE001,Alice A. Admin,,ms-exchange,messaging-l2'].join('\n'));
    expect(second.code).toBe(0);
    expect(second.out).toContain('0 new, 1 updated');
    await alice!.reload({ include: ['memberships'] });
    expect(alice!.name).toBe('Alice A. Admin');
    const groups = await db.models.Group.findAll({ where: { id: (alice as unknown as { memberships: { groupId: number }[] }).memberships.map((m) => m.groupId) } });
    expect(groups.map((g) => g.key)).toEqual(['messaging-l2']);
  });

  it('refuses a file without the expected columns, and bad usage', async () => {
    const { code, err } = await run('id,name\n1,x\n');
    expect(code).toBe(1);
    expect(err).toContain('missing column(s) slack_user_id, email, categories, groups');
    const usage = await cli.helpnet(['experts']);
    expect(usage.code).toBe(2);
    expect(usage.err).toMatch(/usage: npm run helpnet -- COMMAND\n {2}experts import FILE.csv/);
  });

  it('leaves the categories the server synced alone when run with another routing file', async () => {
    const other = join(dir, 'other-routing.yml');
    const routing = testRouting();
    writeFileSync(other, stringify({ ...routing, categories: routing.categories.filter((c: { key: string }) => c.key === 'windows-nt') }));
    writeFileSync(join(dir, 'dave.csv'), 'slack_user_id,name,email,categories,groups\nU0DAVE0001,Dave,,ms-exchange,exchange-l1\n');
    expect((await cli.helpnet(['experts', 'import', join(dir, 'dave.csv')], { ROUTING_FILE: other })).code).toBe(0);
    db ??= await openDatabase(database.url);
    expect(await db.models.Category.findOne({ where: { key: 'ms-exchange' } })).toMatchObject({ active: true });
  });
});
