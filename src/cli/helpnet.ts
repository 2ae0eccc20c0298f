import { ConfigError } from '../config/config-error.ts';
import { exportCommand } from './commands/export-command.ts';
import { expertsCommand } from './commands/experts-command.ts';
import { importExpertsCommand } from './commands/import-experts-command.ts';
import { jobsCommand } from './commands/jobs-command.ts';
import { statsCommand } from './commands/stats-command.ts';
import { payoutsCommand } from './commands/payouts-command.ts';

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

async function main(argv: string[]): Promise<number> {
  const [area, action, arg] = argv;
  if (area === 'experts' && action === 'import' && arg) return importExpertsCommand(arg);
  if (area === 'experts' && action && action !== 'import') return expertsCommand(argv.slice(1));
  if (area === 'jobs' && action === 'failed' && !arg) return jobsCommand('failed', undefined);
  if (area === 'jobs' && action === 'retry' && arg) return jobsCommand('retry', arg);
  if (area === 'stats') return statsCommand(argv.slice(1));
  if (area === 'export') return exportCommand(argv.slice(1));
  if (area === 'payouts') return payoutsCommand(argv.slice(1));
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
