/**
 * bench/home seeding: a migrated database filled, with multi-row INSERTs, with what a
 * network of a given size has after some weeks, for the manager's App Home to read.
 *
 * - the routing (groups, categories, tiers) synced as the server does (syncRouting);
 * - experts: approved in one to three categories, in their tiers' groups (a third also in
 *   the second tier's), most checked in; about 2 % suspended; about 3 % applicants whose
 *   skills are all 'applied' (pending applications), and about 5 % approved experts who
 *   applied for one more category;
 * - customers, a tenth as many as tickets;
 * - tickets filed over the last `size.days` days (60 in the benchmark): most closed; in
 *   flight, among the last three days' tickets, open, dispatched (tier 1 or 2), exhausted
 *   (the last tier timed out: managers alerted), booked and close_pending; some cancelled.
 *   Filing, booking, resolution and closing times so that the 7- and 30-day statistics
 *   have data;
 * - surveys: pending for every close_pending ticket, answered (85 %) or defaulted (15 %)
 *   for about four in five closed tickets, the total being the size's survey count;
 * - ranking_sums as recordSurvey would have kept them from those surveys (network, each
 *   expert overall, each expert per category) and each expert's stored score;
 * - a billing entry and an expert fee per surveyed closed ticket (fees this month and the
 *   month before, none taken by a statement yet), and a few corrections;
 * - Slack posts: each ticket's dispatch (and second tier's), the managers' alert of the
 *   exhausted ones, each booked ticket's expert thread; aliases of the tickets in flight.
 *
 * Rows get explicit ids (the database is new), so nothing is read back. MariaDB only (the
 * dates are written as MariaDB reads them).
 */
import { createHash } from 'node:crypto';
import type { Routing } from '../../src/config/routing.ts';
import { parseRouting } from '../../src/config/routing.ts';
import type { Database } from '../../src/db/database.ts';
import { ALL } from '../../src/db/models/ranking-sum.ts';
import { feeAmount, feeMultiplier, toMinorUnits } from '../../src/domain/money/rules.ts';
import { addSurvey, EMPTY_SUM, scoreAt, surveyRating, type DecayedSum } from '../../src/domain/ranking/rules.ts';
import { syncRouting } from '../../src/domain/sync-routing.ts';
import { testRouting } from '../../test/support/test-routing.ts';

export interface HomeSize {
  name: string;
  experts: number;
  tickets: number;
  surveys: number;
  /** How many days back the tickets go (filed evenly over them). */
  days: number;
}

export interface Seeded {
  /** The manager viewing the Home: also an approved expert, with tickets of their own. */
  viewerSlackId: string;
  /** Rows per table after seeding. */
  rows: Record<string, number>;
}

const DAY = 24 * 60 * 60 * 1000;
const HOUR = 60 * 60 * 1000;
const MINUTE = 60 * 1000;
export const VIEWER_SLACK_ID = 'UH00000000';
const MANAGER_SLACK_ID = 'UMANAGER01';

/**
 * The test routing's two categories and three groups, and six more categories each with a
 * first-line group of its own and a shared second tier: enough categories for the
 * per-category figures and the leaderboard's spread to mean something.
 */
export function benchRouting(): Routing {
  const base = testRouting();
  const extra = ['linux', 'networking', 'sql-server', 'sharepoint', 'azure-ad', 'backup'];
  const routing = {
    ...base,
    groups: [...base.groups, ...extra.map((k, i) => ({ key: `${k}-l1`, name: `${k} first line`, channel: `C0BENCH${String(i).padStart(3, '0')}`, pageTop: 3 })), { key: 'infra-l2', name: 'Infrastructure specialists', channel: 'C0BENCHL2X', pageTop: 3 }],
    categories: [
      ...base.categories,
      ...extra.map((k, i) => ({
        key: k,
        name: k.replace(/(^|-)([a-z])/g, (_, sep: string, c: string) => `${sep ? ' ' : ''}${c.toUpperCase()}`),
        rates: { customer: 30 + 5 * i, expert: 20 + 5 * i },
        tiers: [
          { group: `${k}-l1`, timeoutMinutes: 10 },
          { group: 'infra-l2', timeoutMinutes: 20 },
        ],
      })),
    ],
  };
  return parseRouting(JSON.stringify(routing), 'bench routing');
}

/** A deterministic pseudo-random sequence, so both sizes get the same kind of history. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

const dt = (ms: number) => `'${new Date(ms).toISOString().slice(0, 23).replace('T', ' ')}'`;
type Value = number | string | boolean | null | { at: number };
const literal = (v: Value): string => {
  if (v === null) return 'NULL';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'NULL';
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (typeof v === 'object') return dt(v.at);
  return `'${v.replace(/[\\']/g, (c) => `\\${c}`)}'`;
};
const at = (ms: number | null): Value => (ms === null ? null : { at: ms });

/** Inserts `rows` in multi-row INSERTs of up to about 2 MB each. */
async function insertRows(db: Database, table: string, columns: string[], rows: Value[][]): Promise<void> {
  const head = `INSERT INTO ${table} (${columns.join(', ')}) VALUES `;
  let parts: string[] = [];
  let length = 0;
  const flush = async () => {
    if (parts.length === 0) return;
    await db.sequelize.query(head + parts.join(', '));
    parts = [];
    length = 0;
  };
  for (const row of rows) {
    const text = `(${row.map(literal).join(', ')})`;
    parts.push(text);
    length += text.length + 2;
    if (length > 2_000_000) await flush();
  }
  await flush();
}

const SUBJECTS = ['Mailbox does not sync', 'Cannot log in after password change', 'Server slow since the update', 'Backup job failed overnight', 'VPN drops every few minutes', 'Shared folder permissions', 'Calendar invites not arriving', 'Disk almost full on the file server'];
const SOURCES = ['zendesk', 'slack', 'widget'] as const;

type Status = 'open' | 'dispatched' | 'exhausted' | 'booked' | 'close_pending' | 'closed' | 'cancelled';

interface TicketSeed {
  id: number;
  categoryId: number;
  tiers: number;
  customerId: number;
  status: Status;
  expertId: number | null;
  /** The tier it was posted to last (1 or 2). */
  tier: number | null;
  createdAt: number;
  dispatchedAt: number | null;
  bookedAt: number | null;
  resolvedAt: number | null;
  closedAt: number | null;
  exhaustedAt: number | null;
  /** An escalation alert was posted at this time (exhausted now, or once and booked later). */
  alertAt: number | null;
  secondTierAt: number | null;
}

const TIMES = ['createdAt', 'dispatchedAt', 'bookedAt', 'resolvedAt', 'closedAt', 'exhaustedAt', 'alertAt', 'secondTierAt'] as const;

/** A ticket whose last event would come after `now` moved back, whole, to end a little before it. */
function fit(t: TicketSeed, now: number, rnd: () => number): TicketSeed {
  const last = Math.max(...TIMES.map((k) => t[k] ?? 0));
  if (last <= now) return t;
  const shift = last - now + Math.floor(rnd() * HOUR) + MINUTE;
  for (const k of TIMES) if (t[k] !== null) t[k] = t[k] - shift;
  return t;
}

/** Seeds `db` (migrated, empty) for `size`, with times up to `now`. */
export async function seedHome(db: Database, routing: Routing, size: HomeSize, now: number): Promise<Seeded> {
  const days = size.days;
  const rnd = random(20261203);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  await syncRouting(db, routing);
  const categories = await db.models.Category.findAll({ order: [['id', 'ASC']] });
  const tiers = await db.models.Tier.findAll({ order: [['categoryId', 'ASC'], ['position', 'ASC']] });
  const groups = await db.models.Group.findAll();
  const channelOf = new Map(groups.map((g) => [g.id, g.channelId]));
  const tiersOf = new Map(categories.map((c) => [c.id, tiers.filter((t) => t.categoryId === c.id)]));
  const routed = new Map(routing.categories.map((c) => [c.key, c]));
  const categoryIds = categories.map((c) => c.id);

  // Experts: 1 is the viewer; ids are 1..N.
  interface ExpertSeed {
    id: number;
    slackUserId: string;
    kind: 'approved' | 'applicant' | 'suspended';
    approved: number[];
    applied: number[];
    checkedIn: boolean;
    createdAt: number;
    suspendedAt: number | null;
  }
  const experts: ExpertSeed[] = [];
  for (let id = 1; id <= size.experts; id++) {
    const kind: ExpertSeed['kind'] = id === 1 ? 'approved' : id % 33 === 1 ? 'applicant' : id % 50 === 2 ? 'suspended' : 'approved';
    const count = 1 + Math.floor(rnd() * 3);
    const own = new Set<number>([categoryIds[(id - 1) % categoryIds.length]!]);
    while (own.size < count) own.add(pick(categoryIds));
    const approved = kind === 'applicant' ? [] : [...own];
    const applied = kind === 'applicant' ? [...own] : id % 20 === 3 ? categoryIds.filter((c) => !own.has(c)).slice(0, 1) : [];
    const createdAt = kind === 'applicant' ? now - Math.floor(rnd() * 10 * DAY) : now - (days + 140) * DAY + Math.floor(rnd() * 100 * DAY);
    experts.push({ id, slackUserId: id === 1 ? VIEWER_SLACK_ID : `UH${String(id).padStart(8, '0')}`, kind, approved, applied, checkedIn: kind === 'approved' && rnd() < 0.7, createdAt, suspendedAt: kind === 'suspended' ? now - Math.floor(rnd() * days * DAY) : null });
  }
  experts[0]!.checkedIn = true;
  const byCategory = new Map(categoryIds.map((c) => [c, experts.filter((e) => e.approved.includes(c)).map((e) => e.id)]));
  const activeByCategory = new Map(categoryIds.map((c) => [c, experts.filter((e) => e.kind === 'approved' && e.approved.includes(c)).map((e) => e.id)]));

  // Tickets, ids 1..T, in filing order.
  const customers = Math.max(1, Math.floor(size.tickets / 10));
  const createdTimes = Array.from({ length: size.tickets }, () => now - Math.floor(rnd() * days * DAY)).sort((a, b) => a - b);
  /** A ticket's times, tier and expert for its status. */
  const fill = (t: TicketSeed): void => {
    const { status, categoryId, createdAt, tiers: tierCount } = t;
    t.dispatchedAt = createdAt + 2_000 + Math.floor(rnd() * 30_000);
    t.tier = 1;
    const escalates = tierCount > 1 && (status === 'exhausted' || rnd() < 0.1);
    if (escalates) {
      t.secondTierAt = t.dispatchedAt + 10 * MINUTE;
      t.tier = 2;
    }
    if (status === 'dispatched' || status === 'exhausted' || status === 'cancelled') {
      if (status === 'exhausted') {
        t.tier = tierCount;
        t.exhaustedAt = (t.secondTierAt ?? t.dispatchedAt) + 20 * MINUTE;
        t.alertAt = t.exhaustedAt;
      }
      if (status === 'cancelled') t.closedAt = t.dispatchedAt + Math.floor(rnd() * 2 * HOUR);
      return;
    }
    // Booked at some point: by an expert approved for the category (an active one if still in flight).
    const pool = status === 'closed' ? byCategory.get(categoryId)! : activeByCategory.get(categoryId)!;
    t.expertId = pool.length > 0 ? pick(pool) : 1;
    if (rnd() < 0.01 && tierCount > 1 && escalates) t.alertAt = t.secondTierAt! + 20 * MINUTE;
    t.bookedAt = (t.alertAt ?? t.secondTierAt ?? t.dispatchedAt) + Math.floor(rnd() * rnd() * 45 * MINUTE) + 30_000;
    if (status === 'booked') return;
    t.resolvedAt = t.bookedAt + Math.floor(rnd() * rnd() * 48 * HOUR) + 10 * MINUTE;
    if (status === 'closed') t.closedAt = t.resolvedAt + Math.floor(rnd() * rnd() * 96 * HOUR);
  };
  const tickets: TicketSeed[] = createdTimes.map((createdAt, k) => {
    const categoryId = pick(categoryIds);
    const tierCount = tiersOf.get(categoryId)!.length;
    // In flight only among the last three days' tickets, in these shares of the whole history.
    const r = now - createdAt < 3 * DAY ? rnd() * (3 / days) : 1;
    const status: Status = r < 0.001 ? 'open' : r < 0.005 ? 'dispatched' : r < 0.006 ? 'exhausted' : r < 0.016 ? 'booked' : r < 0.031 ? 'close_pending' : rnd() < 0.01 ? 'cancelled' : 'closed';
    const t: TicketSeed = { id: k + 1, categoryId, tiers: tierCount, customerId: 1 + Math.floor(rnd() * customers), status, expertId: null, tier: null, createdAt, dispatchedAt: null, bookedAt: null, resolvedAt: null, closedAt: null, exhaustedAt: null, alertAt: null, secondTierAt: null };
    if (status === 'open') return t;
    fill(t);
    return fit(t, now, rnd);
  });
  // The viewer has tickets of their own in flight.
  let given = 0;
  for (const t of tickets) {
    if (given >= 3) break;
    if ((t.status === 'booked' || t.status === 'close_pending') && experts[0]!.approved.includes(t.categoryId)) {
      t.expertId = 1;
      given += 1;
    }
  }

  // Surveys: pending for each close_pending ticket, filled for as many closed ones as make the size's count.
  const pending = tickets.filter((t) => t.status === 'close_pending');
  const closed = tickets.filter((t) => t.status === 'closed');
  const wanted = Math.max(0, size.surveys - pending.length);
  if (wanted > closed.length) throw new Error(`${size.name}: ${wanted} filled surveys wanted but only ${closed.length} closed tickets`);
  // Every closed ticket has the same chance of a survey: keep those whose key falls among the lowest `wanted`.
  const surveyed = closed
    .map((t) => ({ t, key: rnd() }))
    .sort((a, b) => a.key - b.key)
    .slice(0, wanted)
    .map((x) => x.t)
    .sort((a, b) => a.closedAt! - b.closedAt!);
  const { defaults } = routing.survey;
  const filled = surveyed.map((t) => {
    const defaulted = rnd() < 0.15;
    const bad = rnd() < 0.05;
    const answer = defaulted ? defaults : { solved: rnd() < 0.9, timeliness: bad ? 1 + Math.floor(rnd() * 2) : 3 + Math.floor(rnd() * 3), helpfulness: bad ? 1 + Math.floor(rnd() * 2) : 3 + Math.floor(rnd() * 3) };
    return { t, status: defaulted ? 'defaulted' : 'answered', ...answer, rating: surveyRating(answer), weight: defaulted ? routing.ranking.defaultedWeight : 1, comment: !defaulted && rnd() < 0.2 ? 'Quick and clear, thank you.' : null };
  });

  // The ranking's sums, as recordSurvey keeps them, and each expert's score at its last survey.
  const { halfLifeDays, priorWeight } = routing.ranking;
  const sums = new Map<string, { expertId: number; categoryId: number; sum: DecayedSum; surveys: number }>();
  const add = (expertId: number, categoryId: number, rating: number, weight: number, answeredAt: number) => {
    const k = `${expertId}:${categoryId}`;
    const e = sums.get(k) ?? { expertId, categoryId, sum: EMPTY_SUM, surveys: 0 };
    e.sum = addSurvey(e.sum, { rating, weight, answeredAt }, halfLifeDays);
    e.surveys += 1;
    sums.set(k, e);
  };
  const scores = new Map<number, number>();
  const multipliers: number[] = [];
  for (const s of filled) {
    const answeredAt = s.t.closedAt!;
    add(ALL, ALL, s.rating, s.weight, answeredAt);
    add(s.t.expertId!, ALL, s.rating, s.weight, answeredAt);
    add(s.t.expertId!, s.t.categoryId, s.rating, s.weight, answeredAt);
    const network = sums.get(`${ALL}:${ALL}`)!.sum;
    const prior = { mean: network.weights > 0 ? network.weightedRatings / network.weights : 3, weight: priorWeight };
    const score = scoreAt(sums.get(`${s.t.expertId}:${ALL}`)!.sum, answeredAt, prior, halfLifeDays);
    scores.set(s.t.expertId!, score);
    multipliers.push(feeMultiplier(s.solved, score, routing.fees));
  }

  // Writing.
  const stamp: Value = { at: now };
  await insertRows(
    db,
    'experts',
    ['id', 'slack_user_id', 'name', 'email', 'phone', 'checked_in', 'suspended_at', 'suspension_reason', 'surveys_since_review', 'score', 'created_at', 'updated_at'],
    experts.map((e) => [e.id, e.slackUserId, e.id === 1 ? 'Morgan Manager' : `Expert ${e.id}`, `expert${e.id}@experts.example`, e.kind === 'applicant' ? `+1555${String(e.id).padStart(7, '0')}` : null, e.checkedIn, at(e.suspendedAt), e.suspendedAt === null ? null : 'Score 1.9 below 2 after 5 surveys', Math.floor(rnd() * 5), scores.get(e.id) ?? null, at(e.createdAt), stamp]),
  );
  await insertRows(
    db,
    'expert_skills',
    ['expert_id', 'category_id', 'status', 'experience', 'decided_at', 'decided_by', 'created_at', 'updated_at'],
    experts.flatMap((e) => [
      ...e.approved.map((c): Value[] => [e.id, c, 'approved', null, at(e.createdAt + DAY), MANAGER_SLACK_ID, at(e.createdAt), at(e.createdAt + DAY)]),
      ...e.applied.map((c): Value[] => [e.id, c, 'applied', 'Eight years running it for a mid-sized company; certified.', null, null, at(now - Math.floor(rnd() * 7 * DAY)), stamp]),
    ]),
  );
  const memberships = new Set<string>();
  for (const e of experts) {
    for (const c of e.approved) {
      const ts = tiersOf.get(c)!;
      memberships.add(`${ts[0]!.groupId}:${e.id}`);
      if (ts[1] && rnd() < 0.33) memberships.add(`${ts[1].groupId}:${e.id}`);
    }
  }
  await insertRows(db, 'group_memberships', ['group_id', 'expert_id', 'created_at', 'updated_at'], [...memberships].map((m) => [...m.split(':').map(Number), stamp, stamp] as Value[]));
  await insertRows(
    db,
    'customers',
    ['id', 'name', 'email', 'created_at', 'updated_at'],
    Array.from({ length: customers }, (_, i) => [i + 1, `Customer ${i + 1}`, `customer${i + 1}@customer.example`, at(now - (days + 30) * DAY), stamp]),
  );
  await insertRows(
    db,
    'tickets',
    ['id', 'category_id', 'customer_id', 'source', 'external_id', 'status', 'urgency', 'subject', 'description', 'tier', 'dispatched_at', 'booked_at', 'resolved_at', 'closed_at', 'expert_id', 'escalation_exhausted_at', 'dispatch_round', 'created_at', 'updated_at'],
    tickets.map((t) => [
      t.id,
      t.categoryId,
      t.customerId,
      SOURCES[t.id % 3]!,
      `bench-${t.id}`,
      t.status === 'exhausted' ? 'dispatched' : t.status,
      t.id % 10 === 0 ? 'high' : 'normal',
      SUBJECTS[t.id % SUBJECTS.length]!,
      'Since this morning it fails with an error; restarting did not help.',
      t.tier,
      at(t.dispatchedAt),
      at(t.bookedAt),
      at(t.resolvedAt),
      at(t.closedAt),
      t.expertId,
      at(t.exhaustedAt),
      1,
      at(t.createdAt),
      at(t.closedAt ?? t.resolvedAt ?? t.bookedAt ?? t.exhaustedAt ?? t.dispatchedAt ?? t.createdAt),
    ]),
  );
  const tokenHash = (id: number) => createHash('sha256').update(`bench survey ${id}`).digest('hex');
  await insertRows(
    db,
    'surveys',
    ['ticket_id', 'expert_id', 'category_id', 'token_hash', 'token_salt', 'status', 'reminders_sent', 'solved', 'timeliness', 'helpfulness', 'comment', 'rating', 'weight', 'answered_at', 'created_at', 'updated_at'],
    [
      ...filled.map((s): Value[] => [s.t.id, s.t.expertId, s.t.categoryId, tokenHash(s.t.id), 'salt', s.status, s.status === 'defaulted' ? 2 : 0, s.solved, s.timeliness, s.helpfulness, s.comment, s.rating, s.weight, at(s.t.closedAt), at(s.t.resolvedAt), at(s.t.closedAt)]),
      ...pending.map((t): Value[] => [t.id, t.expertId, t.categoryId, tokenHash(t.id), 'salt', 'pending', 0, null, null, null, null, null, null, null, at(t.resolvedAt), at(t.resolvedAt)]),
    ],
  );
  await insertRows(
    db,
    'ranking_sums',
    ['expert_id', 'category_id', 'weighted_ratings', 'weights', 'decayed_at', 'surveys'],
    [...sums.values()].map((e) => [e.expertId, e.categoryId, e.sum.weightedRatings, e.sum.weights, at(e.sum.at), e.surveys]),
  );
  const rateOf = (categoryId: number, side: 'customer' | 'expert') => toMinorUnits(routed.get(categories.find((c) => c.id === categoryId)!.key)!.rates[side]);
  await insertRows(
    db,
    'billing_entries',
    ['ticket_id', 'customer_id', 'category_id', 'amount_minor', 'currency', 'occurred_at', 'created_at'],
    filled.map((s) => [s.t.id, s.t.customerId, s.t.categoryId, rateOf(s.t.categoryId, 'customer'), routing.currency, at(s.t.closedAt), at(s.t.closedAt)]),
  );
  const corrections = Math.max(1, Math.floor(size.experts / 200));
  await insertRows(
    db,
    'expert_fees',
    ['expert_id', 'ticket_id', 'category_id', 'kind', 'solved', 'multiplier', 'amount_minor', 'currency', 'note', 'occurred_at', 'created_at'],
    [
      ...filled.map((s, k): Value[] => [s.t.expertId, s.t.id, s.t.categoryId, 'fee', s.solved, multipliers[k]!, feeAmount(rateOf(s.t.categoryId, 'expert'), multipliers[k]!), routing.currency, null, at(s.t.closedAt), at(s.t.closedAt)]),
      ...Array.from({ length: corrections }, (_, k): Value[] => [1 + ((k * 37) % size.experts), null, null, 'correction', null, 1, k % 2 === 0 ? 1500 : -1000, routing.currency, 'Correction agreed with the expert', at(now - Math.floor(rnd() * 40 * DAY)), stamp]),
    ],
  );

  // Slack posts; explicit ids so that the aliases and threads can refer to each other.
  let messageId = 0;
  const messages: Value[][] = [];
  const post = (ticketId: number, purpose: string, tier: number | null, expertId: number | null, aliasId: number | null, channel: string, time: number) => {
    messageId += 1;
    messages.push([messageId, ticketId, purpose, tier, expertId, aliasId, channel, 'sent', `${Math.floor(time / 1000)}.${String(messageId).padStart(6, '0')}`, at(time), at(time), at(time)]);
  };
  // Aliases of the tickets in flight (booked, close_pending): both sides, names held.
  const held = tickets.filter((t) => t.status === 'booked' || t.status === 'close_pending');
  await insertRows(
    db,
    'ticket_aliases',
    ['id', 'ticket_id', 'side', 'expert_id', 'name', 'active_name', 'created_at', 'updated_at'],
    held.flatMap((t, k) => [
      [2 * k + 1, t.id, 'expert', t.expertId, `Expert ${t.id}`, `Expert ${t.id}`, at(t.bookedAt), at(t.bookedAt)],
      [2 * k + 2, t.id, 'customer', null, `Customer ${t.id}`, `Customer ${t.id}`, at(t.createdAt), at(t.createdAt)],
    ]),
  );
  const aliasOf = new Map(held.map((t, k) => [t.id, 2 * k + 1]));
  for (const t of tickets) {
    const ts = tiersOf.get(t.categoryId)!;
    if (t.dispatchedAt !== null) post(t.id, 'dispatch', 1, null, null, channelOf.get(ts[0]!.groupId)!, t.dispatchedAt);
    if (t.secondTierAt !== null) post(t.id, 'dispatch', 2, null, null, channelOf.get(ts[1]!.groupId)!, t.secondTierAt);
    if (t.alertAt !== null) post(t.id, 'escalation_alert', t.tiers, null, null, routing.managersChannel, t.alertAt);
    if (t.expertId !== null && t.bookedAt !== null) post(t.id, 'expert_thread', null, t.expertId, aliasOf.get(t.id) ?? null, `D${String(t.expertId).padStart(8, '0')}`, t.bookedAt);
  }
  await insertRows(db, 'slack_messages', ['id', 'ticket_id', 'purpose', 'tier', 'expert_id', 'alias_id', 'channel', 'status', 'ts', 'sent_at', 'created_at', 'updated_at'], messages);

  const rows: Record<string, number> = {};
  for (const table of ['experts', 'expert_skills', 'group_memberships', 'customers', 'tickets', 'surveys', 'ranking_sums', 'billing_entries', 'expert_fees', 'ticket_aliases', 'slack_messages']) {
    rows[table] = Number((await db.sql.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`, []))[0]!.n);
  }
  // Fresh statistics, as a server that has run for a while has them.
  await db.sequelize.query(`ANALYZE TABLE ${Object.keys(rows).join(', ')}`);
  return { viewerSlackId: VIEWER_SLACK_ID, rows };
}

/** Counts of tickets by status and of the lists a manager's Home shows, to print beside the figures. */
export async function describeSeed(db: Database): Promise<string> {
  const byStatus = await db.sql.query<{ status: string; n: number }>('SELECT status, COUNT(*) AS n FROM tickets GROUP BY status ORDER BY status', []);
  const [lists] = await db.sql.query<{ applicants: number; suspended: number; exhausted: number }>(
    `SELECT (SELECT COUNT(DISTINCT expert_id) FROM expert_skills WHERE status = 'applied') AS applicants,
            (SELECT COUNT(*) FROM experts WHERE suspended_at IS NOT NULL) AS suspended,
            (SELECT COUNT(*) FROM tickets WHERE status = 'dispatched' AND escalation_exhausted_at IS NOT NULL) AS exhausted`,
    [],
  );
  return `tickets ${byStatus.map((r) => `${r.status} ${Number(r.n)}`).join(', ')}; applicants ${Number(lists!.applicants)}, suspended ${Number(lists!.suspended)}, exhausted ${Number(lists!.exhausted)}`;
}
