import { writeFileSync } from 'node:fs';
import { loadConfig } from '../../config/load-config.ts';
import { openDatabase } from '../../db/database.ts';
import { billingExport, ExportRefused, payoutsExport } from '../../domain/money/exports.ts';
import { parsePeriod } from '../../domain/money/periods.ts';
import { loadDotEnv } from '../../lib/dotenv.ts';

/**
 * `export payouts|billing --period YYYY-MM [--out FILE]`: CSV on standard output (or in
 * FILE). Exit 2 for bad usage: an unknown export, a missing or malformed period.
 */
export async function exportCommand(args: string[]): Promise<number> {
  const [what, ...rest] = args;
  if (what !== 'payouts' && what !== 'billing') {
    console.error(`helpnet: unknown export "${what ?? ''}": expected export payouts or export billing`);
    return 2;
  }
  const parsed = parseOptions(rest, ['period', 'out']);
  if (typeof parsed === 'string') {
    console.error(`helpnet: export ${what}: ${parsed}`);
    return 2;
  }
  const text = parsed.period;
  if (text === undefined) {
    console.error(`helpnet: export ${what}: --period is required, e.g. --period 2026-11`);
    return 2;
  }
  const period = parsePeriod(text);
  if (!period) {
    console.error(`helpnet: export ${what}: bad period "${text}": expected YYYY-MM (a four-digit year, month 01 to 12), e.g. 2026-11, or an ISO week such as 2026-W48`);
    return 2;
  }

  loadDotEnv();
  const config = loadConfig(process.env);
  const db = await openDatabase(config.databaseUrl, { migrate: false });
  try {
    const ctx = { db, routing: config.routing };
    let result;
    try {
      result = what === 'payouts' ? await payoutsExport(ctx, period) : await billingExport(ctx, period);
    } catch (err) {
      if (!(err instanceof ExportRefused)) throw err;
      console.error(`helpnet: export ${what}: ${err.message}`);
      return 2;
    }
    if (result.provisional) {
      console.error(`helpnet: the statements of ${period.label} are not written yet: these payouts are provisional, from the fees and corrections recorded so far.`);
    }
    if (parsed.out !== undefined) {
      writeFileSync(parsed.out, result.csv);
      console.error(`Wrote ${result.rows} row(s) to ${parsed.out}.`);
    } else {
      process.stdout.write(result.csv);
    }
    return 0;
  } finally {
    await db.close();
  }
}

/**
 * Options of the money commands: `--name value` and `--name=value` options, each at most once, values taken as they are
 * (so `--amount -12.50` is an amount, not an option). Returns what is wrong as a sentence.
 */
export function parseOptions<N extends string>(args: readonly string[], names: readonly N[]): Partial<Record<N, string>> | string {
  const out: Partial<Record<N, string>> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const m = /^--([a-z-]+)(?:=(.*))?$/s.exec(arg);
    if (!m) return `unexpected argument "${arg}"`;
    const name = m[1] as N;
    if (!names.includes(name)) return `unknown option --${m[1]} (expected ${names.map((n) => `--${n}`).join(', ')})`;
    if (out[name] !== undefined) return `--${name} given twice`;
    let value = m[2];
    if (value === undefined) {
      value = args[i + 1];
      if (value === undefined) return `--${name} needs a value`;
      i++;
    }
    out[name] = value;
  }
  return out;
}
