import type { Transaction } from 'sequelize';
import { WORK, type DomainContext } from '../domain-context.ts';
import { rankLeaderboard } from './leaderboard.ts';
import { HOME_LISTS, MAX_PAGE, parsePages, RECENT_VIEWER_MS, SLACK_USER_ID, type HomeList } from './home-data.ts';

/** Whose App Home a change affects. */
export type HomesToRefresh =
  | { viewers: readonly string[] }
  | { experts: readonly (number | null | undefined)[] }
  | { managers: true }
  /** The experts approved for the category who looked at their Home lately (its bookable tickets changed). */
  | { category: number };

/** A burst of changes publishes a Home once, this long after the last (and at most MAX_WAIT after the first). */
export const HOME_DEBOUNCE_MS = 1500;
export const HOME_MAX_WAIT_MS = 10_000;

type RefreshContext = Pick<DomainContext, 'db' | 'outbox'>;

/**
 * Republishes the App Homes a change affects, as work committed with it: one waiting job per
 * viewer, debounced, so a burst of changes publishes each Home once or twice rather than
 * once per change. Managers and a category's experts are resolved by a job of their own
 * (home.fan-out), keeping the writer's transaction to one job row. `now`: publish at once
 * (the viewer pressed a button on their Home and waits to see it change).
 */
export async function refreshHomes(ctx: RefreshContext, transaction: Transaction, target: HomesToRefresh, opts: { now?: boolean } = {}): Promise<void> {
  if ('managers' in target) return fanOut(ctx, transaction, 'managers');
  if ('category' in target) return fanOut(ctx, transaction, `category:${target.category}`);
  const viewers = 'viewers' in target ? target.viewers : await ctx.db.home.slackIdsOf(target.experts.filter((id): id is number => typeof id === 'number'), { transaction });
  for (const viewer of new Set(viewers)) await publishLater(ctx, transaction, viewer, opts.now === true);
}

/** After a ticket's change: its expert's Home, the Homes of those who could book it, and the managers'. */
export async function refreshTicketHomes(ctx: RefreshContext, transaction: Transaction, ticket: { categoryId: number; expertIds?: readonly (number | null | undefined)[] }): Promise<void> {
  if (ticket.expertIds?.some((id) => typeof id === 'number')) await refreshHomes(ctx, transaction, { experts: ticket.expertIds });
  await refreshHomes(ctx, transaction, { category: ticket.categoryId });
  await refreshHomes(ctx, transaction, { managers: true });
}

async function publishLater(ctx: RefreshContext, transaction: Transaction, viewer: string, now: boolean): Promise<void> {
  // Not a Slack user (an id imported by hand, say): no Home to publish, and no reason to fail the change.
  if (!SLACK_USER_ID.test(viewer)) return;
  await ctx.outbox.add(transaction, WORK.homePublish, { viewer }, { coalesce: now ? { by: 'viewer' } : { by: 'viewer', debounceMs: HOME_DEBOUNCE_MS, maxWaitMs: HOME_MAX_WAIT_MS } });
}

function fanOut(ctx: RefreshContext, transaction: Transaction, target: string): Promise<void> {
  return ctx.outbox.add(transaction, WORK.homeFanOut, { target }, { coalesce: { by: 'target', debounceMs: HOME_DEBOUNCE_MS, maxWaitMs: HOME_MAX_WAIT_MS } });
}

/**
 * The job behind `{ managers: true }` and `{ category }`: finds the viewers (the managers;
 * the category's approved experts who opened their Home in the last hour, as the others see
 * a fresh Home when they next open it) and queues each one's publishing.
 */
export async function fanOutHomes(ctx: Pick<DomainContext, 'db' | 'outbox' | 'now' | 'routing'>, target: string, managerSlackIds: readonly string[]): Promise<number> {
  const category = /^category:(\d{1,12})$/.exec(target);
  let viewers: readonly string[];
  // The changes that refresh the managers' Homes are those that move the leaderboard (a
  // survey, an approval, a suspension…): the experts are ranked again first, managers or not.
  if (target === 'managers') await rankLeaderboard(ctx);
  if (target === 'managers') viewers = managerSlackIds;
  else if (category) viewers = await ctx.db.home.recentViewersQualifiedFor(Number(category[1]), new Date(ctx.now().getTime() - RECENT_VIEWER_MS));
  else return 0;
  if (viewers.length === 0) return 0;
  await ctx.db.unitOfWork(async (transaction) => {
    for (const viewer of new Set(viewers)) await publishLater(ctx, transaction, viewer, false);
  });
  return viewers.length;
}

/** The viewer opened their Home: recorded (their Home now follows their categories' tickets), and published at once. */
export async function openHome(ctx: Pick<DomainContext, 'db' | 'outbox' | 'now'>, viewer: string): Promise<void> {
  await ctx.db.unitOfWork(async (transaction) => {
    await ctx.db.home.recordOpened(viewer, ctx.now(), { transaction });
    await publishLater(ctx, transaction, viewer, true);
  });
}

/** The viewer moved to another page of a list: kept for their next publishings, and published at once. */
export async function changeHomePage(ctx: Pick<DomainContext, 'db' | 'outbox' | 'now'>, viewer: string, list: HomeList, page: number): Promise<void> {
  if (!HOME_LISTS.includes(list) || !Number.isSafeInteger(page) || page < 0 || page > MAX_PAGE) throw new RangeError(`no page ${page} of ${String(list)}`);
  await ctx.db.unitOfWork(async (transaction) => {
    const pages = parsePages(await ctx.db.home.pagesOf(viewer, { transaction }));
    if (page === 0) delete pages[list];
    else pages[list] = page;
    await ctx.db.home.savePages(viewer, JSON.stringify(pages), ctx.now(), { transaction });
    await publishLater(ctx, transaction, viewer, true);
  });
}
