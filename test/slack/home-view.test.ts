import { describe, expect, it } from 'vitest';
import { PAGE_SIZES, type ExpertHome, type HomeData, type ManagerHome, type Paged } from '../../src/domain/home/home-data.ts';
import { parsePageValue } from '../../src/slack/listeners/actions/home-actions.ts';
import { describeWorkingHours } from '../../src/slack/blocks/home-expert.ts';
import { formatDuration } from '../../src/slack/blocks/home-parts.ts';
import { buildHomeView } from '../../src/slack/blocks/home-view.ts';
import { checkBlocks } from '../support/block-kit-limits.ts';

/** Text people type, at its longest, with Slack markup that must stay text. */
const HOSTILE = `<!channel> <@U0ATTACK> <https://evil.example|click> & ${'é'.repeat(150)}${'<!here>'.repeat(40)}`;
const when = new Date('2026-12-03T10:00:00Z');

const full = <T>(n: number, make: (i: number) => T, total = 10_000): Paged<T> => ({ items: Array.from({ length: n }, (_, i) => make(i)), page: 3, pageSize: n, total });

function expertHome(): ExpertHome {
  return {
    expertId: 1,
    name: HOSTILE.slice(0, 200),
    checkedIn: true,
    suspension: { reason: HOSTILE.repeat(3) },
    workingHours: { timeZone: 'Australia/Sydney', days: [1, 2, 3, 4, 5], start: '08:00', end: '18:00' },
    openTickets: full(PAGE_SIZES.open, (i) => ({ ticketId: 100_000 + i, categoryName: HOSTILE.slice(0, 200), status: i % 2 ? ('close_pending' as const) : ('booked' as const), bookedAt: when, threadChannel: 'D0123456789' })),
    unassigned: full(PAGE_SIZES.unassigned, (i) => ({ ticketId: 200_000 + i, categoryName: HOSTILE.slice(0, 200), urgency: 'high' as const, filedAt: when, tier: 2, exhausted: i === 0 })),
    score: 3.14159,
    surveys: 1234,
    rank: 17,
    rankedOf: 10_000,
    earnings: { period: '2026-12', amounts: [{ currency: 'EUR', amountMinor: 123_456, tickets: 40 }, { currency: 'USD', amountMinor: -500, tickets: 0 }] },
  };
}

function managerHome(): ManagerHome {
  return {
    leaderboard: full(PAGE_SIZES.leaderboard, (i) => ({ rank: 46 + i, expertId: i, name: HOSTILE.slice(0, 200), slackUserId: 'U0EXPERT1', suspended: i % 3 === 0, score: 4.5, surveys: 999_999, tickets: 99_999, medianToBookMs: 3_600_000 * 50, medianToResolveMs: null })),
    leaderboardDays: 30,
    applications: full(PAGE_SIZES.applications, (i) => ({ expertId: i, name: HOSTILE.slice(0, 200), slackUserId: null, appliedAt: when, categories: Array.from({ length: 30 }, () => HOSTILE.slice(0, 200)) })),
    exhausted: full(PAGE_SIZES.exhausted, (i) => ({ ticketId: i, categoryName: HOSTILE.slice(0, 200), urgency: 'normal' as const, exhaustedAt: when })),
    suspended: full(PAGE_SIZES.suspended, (i) => ({ expertId: i, name: HOSTILE.slice(0, 200), slackUserId: 'U0EXPERT2', reason: HOSTILE.repeat(5), suspendedAt: when })),
    stats: [7, 30].map((days) => ({ days, asOf: when, filed: 1, booked: 1, resolved: 1, escalated: 0, exhausted: 0, medianToBookMs: 1000, medianToResolveMs: null, surveys: 0, meanHelpfulness: null, solvedRate: null })),
  };
}

describe('the App Home view', () => {
  it('stays within Slack limits with every list full and every text at its longest, escaping all of it', () => {
    for (const data of [
      { viewer: 'U1', expert: expertHome(), manager: null },
      { viewer: 'U1', expert: null, manager: managerHome() },
      { viewer: 'U1', expert: expertHome(), manager: managerHome() },
      { viewer: 'U1', expert: null, manager: null },
    ] satisfies HomeData[]) {
      const view = buildHomeView(data);
      expect(view.type).toBe('home');
      expect(checkBlocks(view.blocks, 'view', '/view/blocks')).toEqual([]);
      // No mention or link made of what people typed: only Helpnet's own dates, mentions of experts to managers, and the DM link.
      // (Headers are plain text, which Slack shows as written: nothing in them is markup.)
      const markup = JSON.stringify(view.blocks.filter((b) => b.type !== 'header')).match(/<[^>]{0,80}/g) ?? [];
      expect(markup.filter((m) => !/^<!date\^\d+\^/.test(m) && !/^<@U0EXPERT[12]$/.test(m) && !m.startsWith('<https://slack.com/app_redirect?channel=D0123456789'))).toEqual([]);
      for (const b of JSON.parse(JSON.stringify(view.blocks)) as { type: string; fields?: unknown[]; elements?: unknown[]; text?: { text: string } }[]) {
        if (b.type === 'section') expect((b.fields ?? []).length).toBeLessThanOrEqual(10);
        if (b.type === 'actions') expect((b.elements ?? []).length).toBeLessThanOrEqual(25);
        if (b.type === 'header') expect(b.text!.text.length).toBeLessThanOrEqual(150);
      }
    }
  });

  it("never shows a non-manager the leaderboard or another expert's name", () => {
    const view = JSON.stringify(buildHomeView({ viewer: 'U1', expert: { ...expertHome(), name: 'Me Myself' }, manager: null }));
    expect(view).not.toContain('Leaderboard');
    expect(view).not.toContain('Suspended experts');
    expect(view).toContain('#17 of 10000');
  });

  it('pages: Previous and Next with the list and page, none for a list of one page', () => {
    const view = buildHomeView({ viewer: 'U1', expert: null, manager: managerHome() });
    const blocks = JSON.parse(JSON.stringify(view.blocks)) as { type: string; elements?: { action_id?: string; value?: string }[] }[];
    const values = blocks.flatMap((b) => (b.type === 'actions' ? (b.elements ?? []).map((e) => `${e.action_id}=${e.value}`) : []));
    expect(values).toEqual(expect.arrayContaining(['home.page.previous=leaderboard:2', 'home.page.next=leaderboard:4', 'home.page.next=suspended:4']));
    const small = buildHomeView({ viewer: 'U1', expert: null, manager: { ...managerHome(), leaderboard: { items: [], page: 0, pageSize: 15, total: 0 } } });
    expect(JSON.stringify(small)).not.toContain('leaderboard:');
  });

  it('reads paging values strictly', () => {
    expect(parsePageValue('leaderboard:3')).toEqual({ list: 'leaderboard', page: 3 });
    for (const bad of ['leaderboard:-1', 'leaderboard:1.5', 'nothing:2', 'leaderboard:', 'leaderboard:9999999', ' leaderboard:1', undefined, '']) expect(parsePageValue(bad)).toBeUndefined();
  });

  it('says hours and durations plainly', () => {
    expect(describeWorkingHours(null)).toBe('any time');
    expect(describeWorkingHours({ timeZone: 'Europe/Berlin', days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' })).toBe('Mon–Fri 09:00–17:00 (Europe/Berlin)');
    expect(describeWorkingHours({ timeZone: 'UTC', days: [0, 6], start: '22:00', end: '06:00' })).toBe('Sat, Sun 22:00–06:00 (UTC)');
    expect([null, 45_000, 12 * 60_000, 3 * 3_600_000 + 5 * 60_000, 50 * 3_600_000].map(formatDuration)).toEqual(['—', '45 s', '12 min', '3 h 5 min', '2 d 2 h']);
  });
});
