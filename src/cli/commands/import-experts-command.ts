import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { loadConfig } from '../../config/load-config.ts';
import { openDatabase } from '../../db/database.ts';
import { IMPORT_COLUMNS, importExperts, type ExpertImportRow } from '../../domain/experts/import-experts.ts';
import { syncRouting } from '../../domain/sync-routing.ts';
import { loadDotEnv } from '../../lib/dotenv.ts';

/**
 * The line a record starts on: the parser counts to its end, and a quoted cell may span
 * lines (the empty lines skipped before it, which its raw text also carries, do not count).
 */
function firstLineOf(r: { info: { lines: number }; raw: string }): number {
  const own = r.raw.replace(/^(\r?\n)+/, '').replace(/\r?\n$/, '');
  return r.info.lines - (own.match(/\n/g)?.length ?? 0);
}

/** `experts import FILE.csv`: create or update approved experts and their groups. */
export async function importExpertsCommand(file: string): Promise<number> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    console.error(`helpnet: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    return 2;
  }
  let rows: ExpertImportRow[];
  try {
    // The header as the CSV parser read it (quoted column names included).
    let header: string[] = [];
    const records = parse(text, { columns: (names: string[]) => (header = names.map((h) => h.trim().toLowerCase())), skip_empty_lines: true, trim: true, bom: true, info: true, raw: true }) as {
      record: Record<string, string>;
      info: { lines: number };
      raw: string;
    }[];
    const missing = IMPORT_COLUMNS.filter((c) => !header.includes(c));
    if (missing.length > 0) {
      console.error(`helpnet: ${file}: line 1: missing column(s) ${missing.join(', ')}; expected ${IMPORT_COLUMNS.join(',')}`);
      return 1;
    }
    rows = records.map((r) => ({ line: firstLineOf(r), record: r.record }));
  } catch (err) {
    console.error(`helpnet: ${file}: not valid CSV: ${(err as Error).message}`);
    return 1;
  }

  loadDotEnv();
  const config = loadConfig(process.env);
  const db = await openDatabase(config.databaseUrl);
  try {
    // The categories and groups are those the server synced from its routing file. Only a
    // database that has none yet (the import run before Helpnet first started) takes them
    // from the routing file here: syncing again could apply another file than the server's
    // (this command run without its ROUTING_FILE) and switch the real categories off.
    if ((await db.models.Category.count()) === 0) {
      console.log(`No categories in the database yet: taking them from ${config.routingFile}.`);
      await syncRouting(db, config.routing);
    }
    const result = await importExperts({ db, now: () => new Date() }, rows);
    if (result.errors.length > 0) {
      console.error(`helpnet: ${file}: nothing imported, ${result.errors.length} problem(s):`);
      for (const e of result.errors) console.error(`  ${e}`);
      return 1;
    }
    console.log(`Imported ${rows.length} expert(s) from ${file}: ${result.created} new, ${result.updated} updated.`);
    return 0;
  } finally {
    await db.close();
  }
}
