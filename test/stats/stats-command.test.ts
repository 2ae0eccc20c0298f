import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/database.ts';
import { duration, parseDay } from '../../src/cli/commands/stats-command.ts';
import { cliWorkspace, type CliWorkspace } from '../support/cli-workspace.ts';
import { TEST_ENGINE } from '../support/test-database.ts';
import { MIN, HOUR, seedStatistics } from './seed.ts';

// Each case starts its own process and only reads: they run side by side, with room for a slow start on a busy machine.
describe.concurrent(`npm run helpnet -- stats (${TEST_ENGINE})`, { timeout: 90_000 }, () => {
  let cli: CliWorkspace;
  let db: Database;
  beforeAll(async () => {
    cli = await cliWorkspace('stats');
    db = await openDatabase(cli.database.url);
    await seedStatistics(db);
  });
  afterAll(async () => {
    await db?.close();
    await cli?.database.drop();
  });

  const run = (...args: string[]) => cli.helpnet(['stats', ...args]);

  it('prints the figures as JSON with --json', async () => {
    const { code, out, err } = await run('--from', '2026-11-01', '--to', '2026-12-01', '--json');
    expect({ code, err }).toEqual({ code: 0, err: '' });
    const stats = JSON.parse(out) as Record<string, unknown>;
    expect(stats).toMatchObject({
      range: { from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' },
      tickets: { filed: 5, booked: 5, resolved: 3, escalated: 2, exhausted: 2 },
      timeToBook: { count: 5, medianMs: 10 * MIN, p90Ms: 60 * MIN },
      timeToResolve: { count: 3, medianMs: 2 * HOUR, p90Ms: 3 * HOUR },
      satisfaction: {
        byExpert: [
          { name: 'Alice', surveys: 3, answered: 2, defaulted: 1, solvedRateAnswered: 0.5 },
          { name: 'Bob', surveys: 1, solvedRate: 1 },
        ],
        byCategory: [
          { name: 'Exchange', ref: 'exchange', surveys: 3 },
          { name: 'Windows', ref: 'windows', surveys: 1, solvedRateAnswered: null },
        ],
      },
    });
  });

  it('prints tables by default', async () => {
    const { code, out, err } = await run('--from', '2026-11-01', '--to', '2026-12-01');
    expect({ code, err }).toEqual({ code: 0, err: '' });
    expect(out).toContain('2026-11-01 to 2026-11-30 inclusive');
    expect(out).toMatch(/^ {2}filed +5$/m);
    expect(out).toMatch(/^ {2}escalated \(past tier 1\) +2$/m);
    expect(out).toMatch(/^ {2}to book +5 +10m 00s +1h 00m$/m);
    expect(out).toMatch(/^ {2}to resolve +3 +2h 00m +3h 00m$/m);
    // Alice: 3 surveys, 2 answered, 1 defaulted, solved 66.7% of all, 50.0% of the answers, helpfulness 3.67 / 3.50, timeliness 3.67 / 3.50.
    expect(out).toMatch(/^ {2}Alice \(U0ALICE001\) +3 +2 +1 +66\.7% +50\.0% +3\.67 +3\.50 +3\.67 +3\.50$/m);
    expect(out).toMatch(/^ {2}Windows \(windows\) +1 +0 +1 +100\.0% +- +4\.00 +- +4\.00 +-$/m);
  });

  it('says so when a range holds nothing', async () => {
    const { code, out, err } = await run('--from', '2025-01-01', '--to', '2025-01-02');
    expect({ code, err }).toEqual({ code: 0, err: '' });
    expect(out).toMatch(/^ {2}filed +0$/m);
    expect(out).toMatch(/^ {2}to book +0 +- +-$/m);
    expect(out).toContain('no surveys');
  });

  it('defaults to the 30 days up to the end of today (UTC)', async () => {
    const { code, out, err } = await run('--json');
    expect({ code, err }).toEqual({ code: 0, err: '' });
    const { range } = JSON.parse(out) as { range: { from: string; to: string } };
    const now = new Date();
    const tomorrow = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
    // The day may turn while the command starts.
    expect([tomorrow, tomorrow + 86_400_000]).toContain(Date.parse(range.to));
    expect(Date.parse(range.to) - Date.parse(range.from)).toBe(30 * 86_400_000);
  });

  it('takes the 30 days before --to when --from is left out', async () => {
    const { code, out, err } = await run('--to', '2026-12-01', '--json');
    expect({ code, err }).toEqual({ code: 0, err: '' });
    expect(JSON.parse(out)).toMatchObject({ range: { from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' } });
  });

  it.each([
    [['--from', '2026-02-30'], '--from "2026-02-30" is not a date'],
    [['--from', '2026-11-01', '--to', '1 Dec 2026'], '--to "1 Dec 2026" is not a date'],
    [['--to', '2026-12-1'], '--to "2026-12-1" is not a date'],
    [['--from', '2026-12-01', '--to', '2026-11-01'], '--from (2026-12-01) must be before --to (2026-11-01)'],
    [['--from', '2026-11-01', '--to', '2026-11-01'], 'must be before --to'],
    [['--since', '2026-11-01'], "Unknown option '--since'"],
    [['november'], 'usage: npm run helpnet -- stats'],
  ])('exits 2 on bad usage: %j', async (args, message) => {
    const { code, out, err } = await run(...args);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toContain(message);
  });
});

describe('stats command helpers', () => {
  it('reads only real calendar dates as UTC midnight', () => {
    expect(parseDay('2026-11-01')).toEqual(new Date('2026-11-01T00:00:00.000Z'));
    expect(parseDay('2028-02-29')).toEqual(new Date('2028-02-29T00:00:00.000Z'));
    for (const bad of ['2026-02-29', '2026-13-01', '2026-00-10', '2026-11-1', '20261101', '2026-11-01T00:00', '']) expect(parseDay(bad)).toBeUndefined();
  });

  it('writes durations as their two largest units', () => {
    expect(duration(null)).toBe('-');
    expect(duration(1)).toBe('0s');
    expect(duration(45_000)).toBe('45s');
    expect(duration(12 * 60_000 + 5_000)).toBe('12m 05s');
    expect(duration(3 * 3_600_000 + 20 * 60_000)).toBe('3h 20m');
    expect(duration(2 * 86_400_000 + 4 * 3_600_000)).toBe('2d 04h');
  });
});
