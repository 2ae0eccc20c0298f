import type { HomeExpertRow, PageOf, PageWindow, ScoreTerms } from '../../db/repositories/home.ts';
import type { DomainContext } from '../domain-context.ts';
import { parseWorkingHours } from '../dispatch/working-hours.ts';
import { monthOf } from '../money/periods.ts';
import { medianAndP90 } from '../stats/percentiles.ts';
import { ensureLeaderboardRanked, scoreTerms } from './leaderboard.ts';
import { statisticsForHome } from './statistics-snapshots.ts';
import { PAGE_SIZES, type ExpertHome, type HomeData, type HomeList, type HomePages, type LeaderboardItem, type ManagerHome, type Paged } from './home-data.ts';

type HomeContext = Pick<DomainContext, 'db' | 'now' | 'routing'>;

const DAY_MS = 24 * 60 * 60 * 1000;
/** The window of the leaderboard's ticket counts and medians. */
export const LEADERBOARD_DAYS = 30;

/**
 * A page of one list. A page past the end (the list shrank since it was chosen) shows the
 * last page instead, at the cost of one more read only then.
 */
async function page<R, T>(list: HomeList, pages: HomePages, read: (w: PageWindow) => Promise<PageOf<R>>, map: (row: R, index: number, offset: number) => T): Promise<Paged<T>> {
  const pageSize = PAGE_SIZES[list];
  let n = pages[list] ?? 0;
  let result = await read({ limit: pageSize, offset: n * pageSize });
  if (result.rows.length === 0 && n > 0 && result.total > 0) {
    n = Math.floor((result.total - 1) / pageSize);
    result = await read({ limit: pageSize, offset: n * pageSize });
  }
  return { items: result.rows.map((row, i) => map(row, i, n * pageSize)), page: n, pageSize, total: result.total };
}

/**
 * What an approved expert's Home shows of them: availability, hours, their open tickets,
 * the unbooked tickets Book would let them take, their score, rank, surveys and this
 * month's earnings. A fixed number of statements, each reading at most a page.
 */
export async function loadExpertHome(ctx: HomeContext, expert: HomeExpertRow, pages: HomePages = {}, terms?: ScoreTerms): Promise<ExpertHome> {
  const now = terms?.now ?? ctx.now();
  const month = monthOf(now);
  const suspended = expert.suspendedAt !== null;
  const t = terms ?? (await scoreTerms(ctx, now));
  const [openTickets, unassigned, standing, earnings] = await Promise.all([
    page('open', pages, (w) => ctx.db.home.openTickets(expert.id, w), (r) => ({ ticketId: r.id, categoryName: r.categoryName, status: r.status === 'close_pending' ? ('close_pending' as const) : ('booked' as const), bookedAt: r.bookedAt, threadChannel: r.threadChannel })),
    suspended
      ? Promise.resolve({ items: [], page: 0, pageSize: PAGE_SIZES.unassigned, total: 0 })
      : page('unassigned', pages, (w) => ctx.db.home.unassignedFor(expert.id, w), (r) => ({ ticketId: r.id, categoryName: r.categoryName, urgency: urgencyOf(r.urgency), filedAt: r.createdAt, tier: r.tier, exhausted: r.exhausted })),
    ctx.db.home.standing(expert.id, t),
    ctx.db.home.earnings(expert.id, month.start, month.end),
  ]);
  return {
    expertId: expert.id,
    name: expert.name,
    checkedIn: expert.checkedIn,
    suspension: suspended ? { reason: expert.suspensionReason } : null,
    workingHours: parseWorkingHours(expert.workingHours),
    openTickets,
    unassigned,
    score: standing?.score ?? t.priorMean,
    surveys: standing?.surveys ?? 0,
    rank: standing?.rank ?? 0,
    rankedOf: standing?.of ?? 0,
    earnings: { period: month.label, amounts: earnings },
  };
}

/**
 * What the managers' Home shows: the leaderboard, pending applications, tickets no tier
 * booked, suspended experts, and the statistics of the last 7 and 30 days. The number of
 * statements is the same for 10 experts or 10,000; the lists read a page each, the
 * leaderboard's ticket figures only for the experts on its page.
 */
export async function loadManagerHome(ctx: HomeContext, viewerSlackId: string, pages: HomePages = {}): Promise<ManagerHome> {
  void viewerSlackId; // the managers' part is the same for every manager
  const now = ctx.now();
  await ensureLeaderboardRanked(ctx, now);
  const since = new Date(now.getTime() - LEADERBOARD_DAYS * DAY_MS);
  const [leaders, applications, exhausted, suspended, stats] = await Promise.all([
    page('leaderboard', pages, (w) => ctx.db.home.leaderboard(w), (r, i, offset) => ({ ...r, rank: offset + i + 1 })),
    page('applications', pages, (w) => ctx.db.home.applications(w), (r) => r),
    page('exhausted', pages, (w) => ctx.db.home.exhaustedTickets(w), (r) => ({ ticketId: r.id, categoryName: r.categoryName, urgency: urgencyOf(r.urgency), exhaustedAt: r.exhaustedAt })),
    page('suspended', pages, (w) => ctx.db.home.suspendedExperts(w), (r) => ({ expertId: r.id, name: r.name, slackUserId: r.slackUserId, reason: r.reason, suspendedAt: r.suspendedAt })),
    statisticsForHome(ctx),
  ]);
  const times = await ctx.db.home.bookingTimes(
    leaders.items.map((l) => l.id),
    since,
  );
  const leaderboard: Paged<LeaderboardItem> = {
    ...leaders,
    items: leaders.items.map((l) => {
      const mine = times.filter((t) => t.expertId === l.id);
      return {
        rank: l.rank,
        expertId: l.id,
        name: l.name,
        slackUserId: l.slackUserId,
        suspended: l.suspended,
        score: l.score,
        surveys: l.surveys,
        tickets: mine.length,
        medianToBookMs: medianAndP90(mine.map((t) => t.bookedAt.getTime() - t.createdAt.getTime())).median,
        medianToResolveMs: medianAndP90(mine.filter((t) => t.resolvedAt).map((t) => t.resolvedAt!.getTime() - t.createdAt.getTime())).median,
      };
    }),
  };
  return { leaderboard, leaderboardDays: LEADERBOARD_DAYS, applications, exhausted, suspended, stats };
}

const urgencyOf = (u: string): 'low' | 'normal' | 'high' => (u === 'low' || u === 'high' ? u : 'normal');

/**
 * The Home of one Slack user: the expert part if they are an approved expert, the managers'
 * part if they are a manager (MANAGER_SLACK_IDS), neither for anyone else.
 */
export async function loadHome(ctx: HomeContext, viewerSlackId: string, opts: { managerSlackIds: readonly string[]; pages?: HomePages }): Promise<HomeData> {
  const pages = opts.pages ?? {};
  const isManager = opts.managerSlackIds.includes(viewerSlackId);
  const row = await ctx.db.home.expertBySlackId(viewerSlackId);
  // An expert's rank, like the leaderboard, is read from the kept order (leaderboard.ts).
  if (row?.approved || isManager) await ensureLeaderboardRanked(ctx, ctx.now());
  const [expert, manager] = await Promise.all([row?.approved ? loadExpertHome(ctx, row, pages) : Promise.resolve(null), isManager ? loadManagerHome(ctx, viewerSlackId, pages) : Promise.resolve(null)]);
  return { viewer: viewerSlackId, expert, manager };
}
