import { loadConfig } from '../../config/load-config.ts';
import { openDatabase } from '../../db/database.ts';
import { correctPayout } from '../../domain/money/correct-payout.ts';
import { formatMajor, parseMajor } from '../../domain/money/rules.ts';
import { loadDotEnv } from '../../lib/dotenv.ts';
import { parseOptions } from './export-command.ts';

const NOTE_MAX = 2000;

/**
 * `payouts correct --expert SLACK_USER_ID --amount -12.50 --note "…"`: writes a correction
 * the expert's next statement takes. Exit 1 for an unknown expert, 2 for bad usage.
 */
export async function payoutsCommand(args: string[]): Promise<number> {
  const [action, ...rest] = args;
  if (action !== 'correct') {
    console.error(`helpnet: unknown payouts command "${action ?? ''}": expected payouts correct --expert SLACK_USER_ID --amount -12.50 --note "why"`);
    return 2;
  }
  const o = parseOptions(rest, ['expert', 'amount', 'note']);
  if (typeof o === 'string') {
    console.error(`helpnet: payouts correct: ${o}`);
    return 2;
  }
  const problems: string[] = [];
  if (!o.expert?.trim()) problems.push('--expert (the Slack user id, e.g. U0ALICE001) is required');
  const amountMinor = o.amount === undefined ? undefined : parseMajor(o.amount);
  if (o.amount === undefined) problems.push('--amount is required, e.g. --amount -12.50');
  else if (amountMinor === undefined) problems.push(`--amount "${o.amount}" is not an amount: expected major units with at most two decimals, e.g. -12.50 or 40`);
  else if (amountMinor === 0) problems.push('--amount must not be zero');
  if (!o.note?.trim()) problems.push('--note is required: say why, e.g. --note "HN-42 was billed twice"');
  else if (o.note.length > NOTE_MAX) problems.push(`--note holds at most ${NOTE_MAX} characters`);
  if (problems.length > 0) {
    for (const p of problems) console.error(`helpnet: payouts correct: ${p}`);
    return 2;
  }

  loadDotEnv();
  const config = loadConfig(process.env);
  const db = await openDatabase(config.databaseUrl, { migrate: false });
  try {
    const result = await correctPayout({ db, routing: config.routing, now: () => new Date() }, { slackUserId: o.expert!.trim(), amountMinor: amountMinor!, note: o.note! });
    if (result.outcome === 'unknown_expert') {
      console.error(`helpnet: payouts correct: no expert with Slack user id ${o.expert!.trim()}`);
      return 1;
    }
    console.log(`Correction of ${formatMajor(amountMinor!)} ${config.routing.currency} written for ${result.expertName}: it goes on their next statement.`);
    return 0;
  } finally {
    await db.close();
  }
}
