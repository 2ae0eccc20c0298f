import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Category, Expert, ExpertSkill, RankingSum } from '../../src/db/models/index.ts';
import { setAvailability } from '../../src/domain/experts/set-availability.ts';
import { loadManagerHome } from '../../src/domain/home/load-home.ts';
import { rankLeaderboard } from '../../src/domain/home/leaderboard.ts';
import { buildHomeView } from '../../src/slack/blocks/home-view.ts';
import { checkBlocks } from '../support/block-kit-limits.ts';
import { createQualifiedExpert } from '../support/experts.ts';
import { startTestApp, type TestApp } from '../support/start-test-app.ts';
import { TEST_ENGINE } from '../support/test-database.ts';
import { fileWidgetTicket } from '../support/tickets.ts';
import { sleep, waitFor } from '../support/wait-for.ts';

const MANAGER = 'U0MANAGER1';

describe(`the App Home on ${TEST_ENGINE}`, () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ env: { MANAGER_SLACK_IDS: MANAGER } });
  }, 90_000);
  afterAll(async () => {
    await app?.close();
  });

  type Published = { user: string; text: string; blocks: Record<string, unknown>[] };
  /** Every views.publish Slack accepted, in order. */
  const published = (user?: string): Published[] =>
    app.slack
      .callsTo('views.publish')
      .filter((c) => c.status === 200 && (c.response as { ok: boolean }).ok && (!user || c.args.user_id === user))
      .map((c) => {
        const view = c.args.view as { blocks: Record<string, unknown>[] };
        return { user: String(c.args.user_id), text: JSON.stringify(view.blocks), blocks: view.blocks };
      });
  const refused = () => app.slack.callsTo('views.publish').filter((c) => !(c.status === 200 && (c.response as { ok: boolean }).ok));
  /** Waits for the next Home published for `user` after `before` of theirs, matching `until` if given. */
  const nextHome = (user: string, before: number, until: (h: Published) => boolean = () => true, what = 'the Home') =>
    waitFor(() => published(user).slice(before).find(until), `${what} of ${user}`, 30_000);
  /** Opens the Home tab as `user` and returns the Home published for it. */
  const openHome = async (user: string) => {
    const before = published(user).length;
    const res = await app.slackRequests.event({ type: 'app_home_opened', user, channel: 'D0HOMETAB1', tab: 'home', event_ts: `${Date.now() / 1000}` });
    expect(res.status).toBe(200);
    return nextHome(user, before);
  };
  /** Presses a button on `user`'s Home, as Slack sends it: from a view, with no response_url. */
  const press = async (user: string, action_id: string, value: string) => {
    const res = await app.slackRequests.interaction({
      type: 'block_actions',
      team: { id: 'T0HELPNET', domain: 'helpnet-test' },
      user: { id: user, username: 'someone', team_id: 'T0HELPNET' },
      api_app_id: 'A0HELPNET',
      trigger_id: `trigger.${Date.now()}`,
      container: { type: 'view', view_id: 'V0HOME0001' },
      view: { id: 'V0HOME0001', type: 'home', team_id: 'T0HELPNET', blocks: [], private_metadata: '', callback_id: '', state: { values: {} }, hash: '1', app_id: 'A0HELPNET' },
      actions: [{ type: 'button', action_id, block_id: 'b1', value, action_ts: `${Date.now() / 1000}` }],
    });
    expect(res.status).toBe(200);
  };
  const buttons = (h: Published) => h.blocks.flatMap((b) => [...((b.elements as Record<string, unknown>[] | undefined) ?? []), ...(b.accessory ? [b.accessory as Record<string, unknown>] : [])]).filter((e) => e.type === 'button');

  it('tells a stranger what Helpnet is and how to join, and nothing about the network', async () => {
    const home = await openHome('U0STRANGER1');
    expect(home.text).toContain('/helpnet join');
    expect(home.text).not.toContain('Leaderboard');
    expect(home.text).not.toContain('expert.check_in');
    // The Messages tab opening is not the Home's.
    const before = published().length;
    await app.slackRequests.event({ type: 'app_home_opened', user: 'U0STRANGER1', channel: 'D0HOMETAB1', tab: 'messages' });
    await sleep(500);
    expect(published()).toHaveLength(before);
  }, 90_000);

  it('shows a manager the network with no experts yet', async () => {
    const home = await openHome(MANAGER);
    expect(home.text).toContain('Leaderboard (0 approved experts)');
    expect(home.text).toContain('No approved experts yet.');
    expect(home.text).toContain('Last 7 days');
    expect(home.text).toContain('Last 30 days');
    expect(refused()).toHaveLength(0);
  }, 90_000);

  let expert: Expert;
  it("shows an expert their own status, hours, tickets and standing; Check in and Book work from it", async () => {
    expert = await createQualifiedExpert('exchange-l1', 'ms-exchange', { checkedIn: false, name: 'Erin <Expert> & Co' });
    const withOne = await openHome(MANAGER);
    expect(withOne.text).toContain('Leaderboard (1 approved expert)');
    expect(withOne.text).toContain('Erin &lt;Expert&gt; &amp; Co');
    const other = await createQualifiedExpert('exchange-l1', 'ms-exchange', { name: 'Oscar Otherexpert', score: 4.8 });
    // Made as rows, not approved through a use case: ranked as the managers' fan-out or the 5-minute job would.
    await rankLeaderboard(app.server.services);
    const ticket = await fileWidgetTicket(app.server.services);
    const slackId = expert.slackUserId!;
    let home = await openHome(slackId);
    expect(home.text).toContain('You are checked out');
    expect(home.text).toContain('*Working hours:* any time');
    expect(home.text).toContain('Erin <Expert> & Co'); // the header is plain text
    expect(home.text).toContain('Tickets you can book (1)');
    expect(home.text).toContain('#2 of 2'); // the other expert scores higher
    expect(home.text).not.toContain('Oscar');
    expect(home.text).not.toContain('4.80');
    expect(home.text).not.toContain('Leaderboard');
    const ids = buttons(home).map((b) => `${String(b.action_id)}=${String(b.value)}`);
    expect(ids).toEqual(expect.arrayContaining(['expert.check_in=check_in', 'expert.edit_availability=edit', `ticket.book=HN-${ticket.id}`]));

    let before = published(slackId).length;
    await press(slackId, 'expert.check_in', 'check_in');
    home = await nextHome(slackId, before, (h) => h.text.includes('You are checked in'), 'the Home after Check in');
    expect(buttons(home).map((b) => b.action_id)).toContain('expert.check_out');
    await expert.reload();
    expect(expert.checkedIn).toBe(true);

    before = published(slackId).length;
    await press(slackId, 'ticket.book', `HN-${ticket.id}`);
    home = await nextHome(slackId, before, (h) => h.text.includes('Your open tickets (1)'), 'the Home after booking');
    expect(home.text).toContain(`HN-${ticket.id}`);
    expect(home.text).toContain('Tickets you can book (0)');
    // Once the thread is posted, the link opens the DM it is in.
    const thread = await waitFor(() => app.server.db.models.SlackMessage.findOne({ where: { ticketId: ticket.id, purpose: 'expert_thread', status: 'sent' } }), 'the thread posted', 30_000);
    const withLink = await openHome(slackId);
    expect(withLink.text).toContain(`https://slack.com/app_redirect?channel=${thread.channel}`);

    before = published(slackId).length;
    await press(slackId, 'expert.check_out', 'check_out');
    await nextHome(slackId, before, (h) => h.text.includes('You are checked out'), 'the Home after Check out');
    expect((await Expert.findByPk(expert.id))!.checkedIn).toBe(false);
    expect(other.id).toBeGreaterThan(0);
    expect(refused()).toHaveLength(0);
  }, 90_000);

  it('publishes each Home at most twice for a burst of 50 changes', async () => {
    const slackId = expert.slackUserId!;
    await openHome(slackId); // a recent viewer: follows the category's tickets too
    await openHome(MANAGER);
    await sleep(2500); // anything still debounced has gone out
    const mark = { expert: published(slackId).length, manager: published(MANAGER).length };
    for (let i = 0; i < 25; i++) {
      await setAvailability(app.server.services, expert.id, i % 2 === 0);
      await fileWidgetTicket(app.server.services);
    }
    // The last change shows once the debounce has passed.
    await nextHome(slackId, mark.expert, (h) => h.text.includes('You are checked in') && h.text.includes('Tickets you can book (25)'), 'the Home after the burst');
    await sleep(4000);
    const expertCount = published(slackId).length - mark.expert;
    const managerCount = published(MANAGER).length - mark.manager;
    expect(expertCount).toBeGreaterThanOrEqual(1);
    expect(expertCount).toBeLessThanOrEqual(2);
    expect(managerCount).toBeLessThanOrEqual(2);
  }, 90_000);

  /** Approved experts to reach `n` in all, made in a few statements; some with surveys. */
  const seedExperts = async (n: number) => {
    const have = await ExpertSkill.count({ where: { status: 'approved' }, distinct: true, col: 'expert_id' });
    const category = await Category.findOne({ where: { key: 'windows-nt' }, rejectOnEmpty: true });
    const now = new Date();
    for (let from = have; from < n; from += 1000) {
      const count = Math.min(1000, n - from);
      const experts = await Expert.bulkCreate(Array.from({ length: count }, (_, i) => ({ name: `Bulk Expert ${from + i}`, slackUserId: `U0BULK${String(from + i).padStart(6, '0')}`, email: null })));
      await ExpertSkill.bulkCreate(experts.map((e) => ({ expertId: e.id, categoryId: category.id, status: 'approved' as const })));
      await RankingSum.bulkCreate(experts.filter((_, i) => i % 3 === 0).map((e, i) => ({ expertId: e.id, categoryId: 0, weightedRatings: (1 + (i % 5)) * 10, weights: 10, decayedAt: now, surveys: 10 })));
    }
    return (await ExpertSkill.count({ where: { status: 'approved' }, distinct: true, col: 'expert_id' })) as number;
  };

  /**
   * SQL statements the managers' Home costs to load, as Sequelize logs them. Its reads run
   * outside any transaction; the job poller's claims (in transactions, on agenda_jobs) are left out.
   */
  const statementsOfManagerHome = async () => {
    const seen: string[] = [];
    const { options } = app.server.db.sequelize as unknown as { options: { logging?: unknown } };
    const logging = options.logging;
    options.logging = (sql: string) => {
      if (sql.startsWith('Executing (default)') && !sql.includes('agenda_jobs')) seen.push(sql);
    };
    try {
      const started = performance.now();
      const data = await loadManagerHome(app.server.services, MANAGER);
      return { n: seen.length, seen, data, ms: performance.now() - started };
    } finally {
      options.logging = logging;
    }
  };

  it('stays valid and costs the same statements for 2, 50 and 10,000 experts; pages move through the leaderboard', async () => {
    const counts: number[] = [];
    for (const size of [2, 50, 10_000]) {
      expect(await seedExperts(size)).toBe(size);
      await rankLeaderboard(app.server.services); // as the 5-minute job would: the rows were not approved through a use case
      const { n, seen, data, ms } = await statementsOfManagerHome();
      if (process.env.SHOW_SQL) console.log(size, 'experts:', n, 'statements,', Math.round(ms), 'ms', seen.map((q) => q.slice(0, 100)));
      counts.push(n);
      expect(data.leaderboard.total).toBe(size);
      expect(checkBlocks(buildHomeView({ viewer: MANAGER, expert: null, manager: data }).blocks, 'view', '/view/blocks')).toEqual([]);
      const home = await openHome(MANAGER);
      expect(home.text).toContain(`Leaderboard (${size} approved experts)`);
      if (size > 2) {
        const bulk = await openHome(`U0BULK${String(size - 3).padStart(6, '0')}`);
        expect(bulk.text).toContain(`of ${size}`);
        // Their own name only: no other expert's.
        expect(bulk.text.match(/Bulk Expert \d+/g) ?? []).toEqual([`Bulk Expert ${size - 3}`]);
        expect(bulk.text).not.toContain('Leaderboard');
      }
    }
    expect(counts[0]).toBeGreaterThan(10);
    expect(new Set(counts).size).toBe(1);

    // Next, Next, Previous through the leaderboard; the page is kept across refreshes.
    let before = published(MANAGER).length;
    await press(MANAGER, 'home.page.next', 'leaderboard:1');
    let home = await nextHome(MANAGER, before, (h) => h.text.includes('16–30 of 10000'), 'page 2');
    expect(home.text).toContain('*16.*');
    before = published(MANAGER).length;
    await press(MANAGER, 'home.page.next', 'leaderboard:2');
    await nextHome(MANAGER, before, (h) => h.text.includes('31–45 of 10000'), 'page 3');
    home = await openHome(MANAGER);
    expect(home.text).toContain('31–45 of 10000');
    before = published(MANAGER).length;
    await press(MANAGER, 'home.page.previous', 'leaderboard:1');
    await nextHome(MANAGER, before, (h) => h.text.includes('16–30 of 10000'), 'back to page 2');
    // The last page, asked for past the end, shows the last one.
    before = published(MANAGER).length;
    await press(MANAGER, 'home.page.next', 'leaderboard:99999');
    await nextHome(MANAGER, before, (h) => h.text.includes('9991–10000 of 10000'), 'the last page');

    // Paging values that are not a list and page, and a managers' list paged by an expert, change nothing.
    const quiet = published().length;
    await press(MANAGER, 'home.page.next', 'leaderboard:-1');
    await press(MANAGER, 'home.page.next', 'nothing:2');
    await press('U0BULK000001', 'home.page.next', 'leaderboard:3');
    await sleep(1000);
    expect(published()).toHaveLength(quiet);
    expect(refused()).toHaveLength(0);
  }, 300_000);

  it('lists pending applications and suspended experts (with Reinstate) to managers only', async () => {
    const applicant = await createQualifiedExpert('windows-l1', 'windows-nt', { skill: 'applied', name: 'Ada Applicant' });
    const suspended = await createQualifiedExpert('windows-l1', 'windows-nt', { name: 'Sam Suspended', suspendedAt: new Date('2020-01-01T00:00:00Z'), suspensionReason: 'score 1.50 after 6 surveys <below 2.00>' });
    const home = await openHome(MANAGER);
    expect(home.text).toContain('Pending applications (1)');
    expect(home.text).toContain('Ada Applicant');
    expect(home.text).toContain('Windows NT');
    expect(home.text).toContain('&lt;below 2.00&gt;');
    expect(buttons(home).map((b) => `${String(b.action_id)}=${String(b.value)}`)).toContain(`expert.reinstate=${suspended.id}`);
    // The applicant is not an approved expert yet: their Home is the welcome.
    expect((await openHome(applicant.slackUserId!)).text).toContain('/helpnet join');

    const before = published(MANAGER).length;
    await press(MANAGER, 'expert.reinstate', String(suspended.id));
    await nextHome(MANAGER, before, (h) => h.text.includes('Suspended experts (0)'), 'the Home after Reinstate');
    expect(refused()).toHaveLength(0);
  }, 90_000);
});
