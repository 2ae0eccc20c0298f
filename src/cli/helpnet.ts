import { ConfigError } from '../config/config-error.ts';

/**
 * Operator commands (`npm run helpnet -- …`). Exit codes: 0 done, 1 the input was refused
 * (nothing applied), 2 bad usage or configuration.
 */
const USAGE = `usage: npm run helpnet -- COMMAND
  experts import FILE.csv   create or update approved experts and their groups
                            (CSV columns: slack_user_id,name,email,categories,groups; several separated by ;)
  experts list [--json]     every expert: checked in, suspended, score, categories, groups (CSV, or JSON)
  experts approve SLACK_USER_ID CATEGORY[,CATEGORY…]
                            approve an expert for these categories
  experts suspend SLACK_USER_ID --reason TEXT
                            suspend an expert (not paged, cannot book); they and the managers are told
  experts reinstate SLACK_USER_ID
                            lift an expert's suspension; they are told
  experts check-in|check-out SLACK_USER_ID
                            make an expert available for paging, or not
  jobs failed               list the jobs given up after their tries (dead letters)
  jobs retry ID             run a failed job again
  stats [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--json]
                            tickets, times to book and resolve, satisfaction (default: the last 30 days)
  export payouts|billing --period YYYY-MM [--out FILE]
                            CSV of the experts' payouts or the customers' billing of a month (see docs/money.md)
  payouts correct --expert SLACK_USER_ID --amount -12.50 --note TEXT
                            write a correction the expert's next statement takes`;

// Each command's code is loaded when it is run: a script calling one command does not wait
// for every other command's modules to load.
async function main(argv: string[]): Promise<number> {
  const [area, action, arg] = argv;
  if (area === 'experts' && action === 'import' && arg) return (await import('./commands/import-experts-command.ts')).importExpertsCommand(arg);
  if (area === 'experts' && action && action !== 'import') return (await import('./commands/experts-command.ts')).expertsCommand(argv.slice(1));
  if (area === 'jobs' && action === 'failed' && !arg) return (await import('./commands/jobs-command.ts')).jobsCommand('failed', undefined);
  if (area === 'jobs' && action === 'retry' && arg) return (await import('./commands/jobs-command.ts')).jobsCommand('retry', arg);
  if (area === 'stats') return (await import('./commands/stats-command.ts')).statsCommand(argv.slice(1));
  if (area === 'export') return (await import('./commands/export-command.ts')).exportCommand(argv.slice(1));
  if (area === 'payouts') return (await import('./commands/payouts-command.ts')).payoutsCommand(argv.slice(1));
  console.error(USAGE);
  return 2;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(`helpnet: ${err.message}`);
    process.exitCode = 2;
  } else {
    throw err;
  }
}
