import { loadConfig } from '../../config/load-config.ts';
import { openDatabase, type Database } from '../../db/database.ts';
import { approveExpert } from '../../domain/experts/approve-expert.ts';
import { listExperts, type ExpertOverview } from '../../domain/experts/list-experts.ts';
import { reinstateByOperator } from '../../domain/experts/reinstate-by-operator.ts';
import { setAvailability } from '../../domain/experts/set-availability.ts';
import { suspendExpert } from '../../domain/experts/suspend-expert.ts';
import { csvNumber, toCsv } from '../../domain/money/csv.ts';
import { jobDefinitions } from '../../jobs/definitions/index.ts';
import { createDeferredOutbox } from '../../jobs/outbox.ts';
import { loadDotEnv } from '../../lib/dotenv.ts';
import { parseOptions } from './export-command.ts';

export const EXPERTS_USAGE = `usage: npm run helpnet -- experts list [--json]
       npm run helpnet -- experts approve SLACK_USER_ID CATEGORY[,CATEGORY…]
       npm run helpnet -- experts suspend SLACK_USER_ID --reason TEXT
       npm run helpnet -- experts reinstate SLACK_USER_ID
       npm run helpnet -- experts check-in SLACK_USER_ID
       npm run helpnet -- experts check-out SLACK_USER_ID`;

/** The columns of `experts list` (CSV header; the keys of `--json`). */
export const LIST_COLUMNS = ['slack_user_id', 'name', 'email', 'checked_in', 'suspended', 'score', 'categories', 'groups'] as const;

const SLACK_USER_ID = /^[UW][A-Z0-9]{2,}$/;

type Action = 'list' | 'approve' | 'suspend' | 'reinstate' | 'check-in' | 'check-out';
const ACTIONS: readonly string[] = ['list', 'approve', 'suspend', 'reinstate', 'check-in', 'check-out'] satisfies Action[];

const usage = (problem: string) => {
  console.error(`helpnet: ${problem}\n${EXPERTS_USAGE}`);
  return 2;
};

/**
 * `experts list|approve|suspend|reinstate|check-in|check-out` (`experts import` is its own
 * command). Data on standard output, everything else on standard error. Exit 0 done (also
 * when it already was so), 1 refused (an unknown expert or category), 2 bad usage.
 */
export async function expertsCommand(args: string[]): Promise<number> {
  const [action, ...rest] = args;
  if (!action || !ACTIONS.includes(action)) return usage(`unknown experts command "${action ?? ''}"`);
  if (action === 'list') {
    if (rest.length > 1 || (rest.length === 1 && rest[0] !== '--json')) return usage(`experts list: unexpected argument "${rest.find((a) => a !== '--json') ?? rest[1]}"`);
    return withDatabase(async (db) => {
      const experts = await listExperts({ db });
      process.stdout.write(rest[0] === '--json' ? `${JSON.stringify(experts.map(listRecord), null, 2)}\n` : listCsv(experts));
      return 0;
    });
  }

  const [slackUserId, ...more] = rest;
  if (!slackUserId || slackUserId.startsWith('--')) return usage(`experts ${action} needs the expert's Slack user id, e.g. U024BE7LH`);
  if (!SLACK_USER_ID.test(slackUserId)) return usage(`"${slackUserId}" is not a Slack user id: expected one such as U024BE7LH (profile → ⋮ → Copy member ID)`);
  let categoryKeys: string[] = [];
  let reason = '';
  if (action === 'approve') {
    const [list, ...extra] = more;
    if (!list || extra.length > 0) return usage('experts approve takes the Slack user id and the category keys, separated by commas, e.g. ms-exchange,windows-nt');
    categoryKeys = [...new Set(list.split(/[,;]/).map((k) => k.trim()).filter(Boolean))];
    if (categoryKeys.length === 0) return usage('experts approve needs at least one category key');
  } else if (action === 'suspend') {
    const o = parseOptions(more, ['reason']);
    if (typeof o === 'string') return usage(`experts suspend: ${o}`);
    if (!o.reason?.trim()) return usage('experts suspend needs --reason TEXT: say why, the expert is told');
    reason = o.reason;
  } else if (more.length > 0) {
    return usage(`experts ${action}: unexpected argument "${more[0]}"`);
  }

  return withDatabase(async (db, config) => {
    const expert = await db.experts.bySlackId(slackUserId);
    if (!expert) {
      console.error(`helpnet: experts ${action}: no expert with Slack user id ${slackUserId} (see: npm run helpnet -- experts list)`);
      return 1;
    }
    const ctx = { db, routing: config.routing, now: () => new Date(), outbox: createDeferredOutbox(db.sequelize, jobDefinitions) };
    const who = `${expert.name} (${slackUserId})`;
    switch (action as Exclude<Action, 'list'>) {
      case 'approve': {
        const result = await approveExpert(ctx, { expertId: expert.id, categoryKeys });
        if (result.outcome === 'unknown_categories') {
          for (const k of result.unknown) console.error(`helpnet: experts approve: unknown category "${k}" (known: ${result.known.join(', ')})`);
          console.error('helpnet: experts approve: nothing approved');
          return 1;
        }
        if (result.outcome === 'not_found') return gone(action, slackUserId);
        console.log(`${who} is approved for ${categoryKeys.join(', ')} (${result.newlyApproved} newly approved).`);
        return 0;
      }
      case 'suspend': {
        const result = await suspendExpert(ctx, { expertId: expert.id, reason });
        if (result.outcome === 'bad_reason') return usage(`experts suspend: ${result.problem}`);
        if (result.outcome === 'not_found') return gone(action, slackUserId);
        console.log(result.outcome === 'already' ? `${who} is already suspended: nothing changed.` : `${who} is suspended: no longer paged, cannot book. They and the managers are told.`);
        return 0;
      }
      case 'reinstate': {
        const result = await reinstateByOperator(ctx, expert.id);
        if (result.outcome === 'not_found') return gone(action, slackUserId);
        console.log(result.outcome === 'already' ? `${who} is not suspended: nothing changed.` : `${who} is reinstated: paged again and may book. They are told.`);
        return 0;
      }
      case 'check-in':
      case 'check-out': {
        const result = await setAvailability(ctx, expert.id, action === 'check-in');
        if (result.outcome === 'not_found') return gone(action, slackUserId);
        const state = result.outcome === 'checked_in' ? 'checked in' : 'checked out';
        console.log(`${who} is ${result.changed ? 'now' : 'already'} ${state}.${result.outcome === 'checked_in' && result.suspended ? ' They are suspended: not paged until reinstated.' : ''}`);
        return 0;
      }
    }
  });
}

/** The expert removed between the look-up and the change. */
function gone(action: string, slackUserId: string): number {
  console.error(`helpnet: experts ${action}: no expert with Slack user id ${slackUserId}`);
  return 1;
}

async function withDatabase(work: (db: Database, config: ReturnType<typeof loadConfig>) => Promise<number>): Promise<number> {
  loadDotEnv();
  const config = loadConfig(process.env);
  const db = await openDatabase(config.databaseUrl, { migrate: false });
  try {
    return await work(db, config);
  } finally {
    await db.close();
  }
}

function listRecord(e: ExpertOverview) {
  return {
    slack_user_id: e.slackUserId,
    name: e.name,
    email: e.email,
    checked_in: e.checkedIn,
    suspended: e.suspendedAt !== null,
    score: e.score,
    categories: e.categoryKeys,
    groups: e.groupKeys,
  };
}

/** The list as CSV (several categories or groups separated by ;, as `experts import` reads them). */
export function listCsv(experts: readonly ExpertOverview[]): string {
  return toCsv(
    LIST_COLUMNS,
    experts.map((e) => [
      e.slackUserId,
      e.name,
      e.email,
      csvNumber(String(e.checkedIn)),
      csvNumber(String(e.suspendedAt !== null)),
      e.score === null ? null : csvNumber(e.score.toFixed(2)),
      e.categoryKeys.join(';'),
      e.groupKeys.join(';'),
    ]),
  );
}
