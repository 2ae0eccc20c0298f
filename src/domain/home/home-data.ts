import type { WorkingHours } from '../dispatch/working-hours.ts';

/** The App Home's lists that page. */
export const HOME_LISTS = ['open', 'unassigned', 'leaderboard', 'applications', 'exhausted', 'suspended'] as const;
export type HomeList = (typeof HOME_LISTS)[number];

/** Rows per page of each list: with the rest of the Home, well within Slack's 100 blocks a view. */
export const PAGE_SIZES: Readonly<Record<HomeList, number>> = { open: 10, unassigned: 10, leaderboard: 15, applications: 10, exhausted: 10, suspended: 10 };

/** The page (0-based) the viewer is on, per list; a list left out is on its first page. */
export type HomePages = Partial<Record<HomeList, number>>;

/** The last page anyone may ask for (a page value is checked against it before it is read). */
export const MAX_PAGE = 100_000;

/** One page of a list, and where it sits in the whole. */
export interface Paged<T> {
  items: T[];
  /** 0-based. */
  page: number;
  pageSize: number;
  total: number;
}

export interface OpenTicketItem {
  ticketId: number;
  categoryName: string;
  status: 'booked' | 'close_pending';
  bookedAt: Date | null;
  /** The DM the expert's thread for the ticket is in, once posted. */
  threadChannel: string | null;
}

export interface UnassignedTicketItem {
  ticketId: number;
  categoryName: string;
  urgency: 'low' | 'normal' | 'high';
  filedAt: Date;
  tier: number | null;
  exhausted: boolean;
}

export interface Earnings {
  /** The month, `2026-12`. */
  period: string;
  amounts: { currency: string; amountMinor: number; tickets: number }[];
}

/** What an approved expert sees of themselves. Never another expert's name or score. */
export interface ExpertHome {
  expertId: number;
  name: string;
  checkedIn: boolean;
  /** Set while suspended: why. */
  suspension: { reason: string | null } | null;
  /** Null: any time. */
  workingHours: WorkingHours | null;
  openTickets: Paged<OpenTicketItem>;
  /** Empty while suspended (Book would refuse). */
  unassigned: Paged<UnassignedTicketItem>;
  score: number;
  surveys: number;
  /** Place in the leaderboard (1 = best) of `rankedOf` approved experts. */
  rank: number;
  rankedOf: number;
  earnings: Earnings;
}

export interface LeaderboardItem {
  rank: number;
  expertId: number;
  name: string;
  slackUserId: string | null;
  suspended: boolean;
  score: number;
  surveys: number;
  /** Booked in the last LEADERBOARD_DAYS days. */
  tickets: number;
  medianToBookMs: number | null;
  medianToResolveMs: number | null;
}

export interface ApplicationItem {
  expertId: number;
  name: string;
  slackUserId: string | null;
  appliedAt: Date;
  categories: string[];
}

export interface ExhaustedTicketItem {
  ticketId: number;
  categoryName: string;
  urgency: 'low' | 'normal' | 'high';
  exhaustedAt: Date;
}

export interface SuspendedExpertItem {
  expertId: number;
  name: string;
  slackUserId: string | null;
  reason: string | null;
  suspendedAt: Date;
}

/** The figures of one range of the statistics (domain/stats/statistics.ts), as the Home shows them. */
export interface StatsSummary {
  days: number;
  /** When they were computed (a job does every few minutes: see statistics-snapshots.ts). */
  asOf: Date;
  filed: number;
  booked: number;
  resolved: number;
  escalated: number;
  exhausted: number;
  medianToBookMs: number | null;
  medianToResolveMs: number | null;
  surveys: number;
  /** Mean helpfulness (1–5) over the surveys, defaults included; null when none. */
  meanHelpfulness: number | null;
  /** Share (0–1) of the surveys marked solved; null when none. */
  solvedRate: number | null;
}

/** What only managers see. */
export interface ManagerHome {
  leaderboard: Paged<LeaderboardItem>;
  /** The window the leaderboard's tickets and medians cover. */
  leaderboardDays: number;
  applications: Paged<ApplicationItem>;
  exhausted: Paged<ExhaustedTicketItem>;
  suspended: Paged<SuspendedExpertItem>;
  stats: StatsSummary[];
}

/** Everything one viewer's Home shows: an expert part, a managers' part, or neither (a stranger). */
export interface HomeData {
  viewer: string;
  expert: ExpertHome | null;
  manager: ManagerHome | null;
}

/** A Slack user id as Slack writes them: whose Home can be published. */
export const SLACK_USER_ID = /^[UW][A-Z0-9]{1,31}$/;

/** How long after opening their Home a viewer's Home follows the changes of tickets they could book. */
export const RECENT_VIEWER_MS = 60 * 60 * 1000;

/** Reads stored or clicked pages, keeping only known lists and whole pages in range. */
export function parsePages(json: string | null | undefined): HomePages {
  if (!json) return {};
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return {};
  }
  if (!value || typeof value !== 'object') return {};
  const pages: HomePages = {};
  for (const list of HOME_LISTS) {
    const page = (value as Record<string, unknown>)[list];
    if (typeof page === 'number' && Number.isSafeInteger(page) && page > 0 && page <= MAX_PAGE) pages[list] = page;
  }
  return pages;
}
