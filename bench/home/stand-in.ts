/**
 * A STAND-IN for the manager's App Home, NOT the Home itself: it exists only so that
 * bench/home can be run (and its seeding and counting checked) before the Home is merged.
 * Its figures say nothing about the Home and must not be recorded as the benchmark's.
 *
 * It reads what a manager's Home shows with set-based queries — the viewer's own part
 * (status, open tickets with their threads, unassigned tickets they may book, score, rank,
 * surveys, this month's earnings), the leaderboard's first page (with each listed expert's
 * median time to book and to resolve), pending applications, exhausted tickets, suspended
 * experts, and statistics() for the last 7 and 30 days — and builds plain Block Kit from
 * them. Once the Home is merged, bench/home/index.ts points at the real function instead
 * and this file can go.
 */
import { ALL } from '../../src/db/models/ranking-sum.ts';
import type { DomainContext } from '../../src/domain/domain-context.ts';
import { priorOf } from '../../src/domain/ranking/scores.ts';
import { scoreAt } from '../../src/domain/ranking/rules.ts';
import { medianAndP90 } from '../../src/domain/stats/percentiles.ts';
import { statistics, type Statistics } from '../../src/domain/stats/statistics.ts';

const DAY = 24 * 60 * 60 * 1000;
const PAGE = 20;
const toDate = (v: unknown): Date => (v instanceof Date ? v : new Date(String(v)));
const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text: text.slice(0, 3000) } });
const minutes = (ms: number | null) => (ms === null ? '—' : `${Math.round(ms / 60_000)} min`);

export async function standInManagerHome(ctx: Pick<DomainContext, 'db' | 'now' | 'routing'>, viewerSlackId: string): Promise<{ type: 'home'; blocks: object[] }> {
  const { db, routing } = ctx;
  const now = ctx.now();
  const q = <R extends object>(text: string, params: readonly unknown[] = []) => db.sql.query<R>(text, params);
  const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));

  const viewer = await db.experts.bySlackId(viewerSlackId);
  const [own, qualified, network, mine, earnings, rank] = await Promise.all([
    viewer ? q<{ id: number; subject: string; channel: string | null; ts: string | null }>("SELECT t.id, t.subject, m.channel, m.ts FROM tickets t LEFT JOIN slack_messages m ON m.ticket_id = t.id AND m.purpose = 'expert_thread' AND m.expert_id = t.expert_id WHERE t.expert_id = ? AND t.status IN ('booked', 'close_pending') ORDER BY t.id", [viewer.id]) : [],
    viewer
      ? q<{ id: number; subject: string }>("SELECT t.id, t.subject FROM tickets t WHERE t.status IN ('open', 'dispatched') AND t.category_id IN (SELECT s.category_id FROM expert_skills s WHERE s.expert_id = ? AND s.status = 'approved') ORDER BY t.created_at LIMIT 10", [viewer.id])
      : [],
    db.ranking.read([{ expertId: ALL, categoryId: ALL }]),
    viewer ? db.ranking.read([{ expertId: viewer.id, categoryId: ALL }]) : new Map(),
    viewer ? q<{ total: unknown }>('SELECT SUM(amount_minor) AS total FROM expert_fees WHERE expert_id = ? AND occurred_at >= ? AND occurred_at < ?', [viewer.id, monthStart, now]) : [],
    viewer?.score != null ? q<{ n: unknown }>('SELECT COUNT(*) AS n FROM experts WHERE suspended_at IS NULL AND score > ?', [viewer.score]) : [],
  ]);
  const prior = priorOf(routing, network.get(`${ALL}:${ALL}`), now);

  const [leaders, leaderCount, applications, applicantCount, exhausted, exhaustedCount, suspended, suspendedCount, week, month] = await Promise.all([
    q<{ id: number; name: string; weighted_ratings: number | null; weights: number | null; decayed_at: unknown; surveys: number | null }>(
      `SELECT e.id, e.name, r.weighted_ratings, r.weights, r.decayed_at, r.surveys
         FROM experts e LEFT JOIN ranking_sums r ON r.expert_id = e.id AND r.category_id = ${ALL}
        WHERE e.suspended_at IS NULL AND EXISTS (SELECT 1 FROM expert_skills s WHERE s.expert_id = e.id AND s.status = 'approved')
        ORDER BY e.score IS NULL, e.score DESC, e.id LIMIT ${PAGE}`,
    ),
    q<{ n: unknown }>("SELECT COUNT(*) AS n FROM experts e WHERE e.suspended_at IS NULL AND EXISTS (SELECT 1 FROM expert_skills s WHERE s.expert_id = e.id AND s.status = 'approved')"),
    q<{ name: string; category: string }>("SELECT e.name, c.name AS category FROM expert_skills s JOIN experts e ON e.id = s.expert_id JOIN categories c ON c.id = s.category_id WHERE s.status = 'applied' ORDER BY s.created_at, s.id LIMIT 10"),
    q<{ n: unknown }>("SELECT COUNT(DISTINCT expert_id) AS n FROM expert_skills WHERE status = 'applied'"),
    q<{ id: number; subject: string }>("SELECT id, subject FROM tickets WHERE status = 'dispatched' AND escalation_exhausted_at IS NOT NULL ORDER BY escalation_exhausted_at, id LIMIT 10"),
    q<{ n: unknown }>("SELECT COUNT(*) AS n FROM tickets WHERE status = 'dispatched' AND escalation_exhausted_at IS NOT NULL"),
    q<{ name: string; suspension_reason: string | null }>('SELECT name, suspension_reason FROM experts WHERE suspended_at IS NOT NULL ORDER BY suspended_at DESC, id LIMIT 10'),
    q<{ n: unknown }>('SELECT COUNT(*) AS n FROM experts WHERE suspended_at IS NOT NULL'),
    statistics(ctx, { from: new Date(now.getTime() - 7 * DAY), to: now }),
    statistics(ctx, { from: new Date(now.getTime() - 30 * DAY), to: now }),
  ]);
  // The listed experts' tickets, for their counts and median times: one query for the page.
  const times = leaders.length === 0 ? [] : await q<{ expert_id: number; created_at: unknown; booked_at: unknown; resolved_at: unknown }>(`SELECT expert_id, created_at, booked_at, resolved_at FROM tickets WHERE expert_id IN (${leaders.map(() => '?').join(', ')}) AND booked_at IS NOT NULL`, leaders.map((l) => l.id));
  const byExpert = new Map<number, { book: number[]; resolve: number[] }>();
  for (const t of times) {
    const e = byExpert.get(Number(t.expert_id)) ?? { book: [], resolve: [] };
    const created = toDate(t.created_at).getTime();
    e.book.push(toDate(t.booked_at).getTime() - created);
    if (t.resolved_at !== null) e.resolve.push(toDate(t.resolved_at).getTime() - created);
    byExpert.set(Number(t.expert_id), e);
  }

  const blocks: object[] = [{ type: 'header', text: { type: 'plain_text', text: 'Helpnet' } }];
  if (viewer) {
    const sum = mine.get(`${viewer.id}:${ALL}`);
    const score = sum ? scoreAt({ weightedRatings: sum.weightedRatings, weights: sum.weights, at: sum.decayedAt.getTime() }, now.getTime(), prior, routing.ranking.halfLifeDays) : prior.mean;
    blocks.push(section(`*${viewer.checkedIn ? 'Checked in' : 'Checked out'}* · score ${score.toFixed(2)} · rank ${rank[0] ? Number(rank[0].n) + 1 : '—'} · ${sum?.surveys ?? 0} surveys · this month ${Number(earnings[0]?.total ?? 0) / 100} ${routing.currency}`));
    blocks.push({ type: 'actions', elements: [{ type: 'button', action_id: viewer.checkedIn ? 'expert.check_out' : 'expert.check_in', text: { type: 'plain_text', text: viewer.checkedIn ? 'Check out' : 'Check in' } }] });
    for (const t of own.slice(0, 10)) blocks.push(section(`#${t.id} ${t.subject} ${t.channel ? `(thread ${t.channel}/${t.ts})` : ''}`));
    for (const t of qualified) blocks.push({ ...section(`#${t.id} ${t.subject}`), accessory: { type: 'button', action_id: 'ticket.book', value: String(t.id), text: { type: 'plain_text', text: 'Book' } } });
  }
  blocks.push({ type: 'divider' }, section(`*Leaderboard* (${Number(leaderCount[0]?.n ?? 0)} experts)`));
  const lines = leaders.map((l, i) => {
    const score = l.weights ? scoreAt({ weightedRatings: Number(l.weighted_ratings), weights: Number(l.weights), at: toDate(l.decayed_at).getTime() }, now.getTime(), prior, routing.ranking.halfLifeDays) : prior.mean;
    const t = byExpert.get(l.id) ?? { book: [], resolve: [] };
    return `${i + 1}. ${l.name} · ${score.toFixed(2)} · ${l.surveys ?? 0} surveys · ${t.book.length} tickets · book ${minutes(medianAndP90(t.book).median)} · resolve ${minutes(medianAndP90(t.resolve).median)}`;
  });
  for (let i = 0; i < lines.length; i += 10) blocks.push(section(lines.slice(i, i + 10).join('\n')));
  blocks.push(section(`*Pending applications* (${Number(applicantCount[0]?.n ?? 0)})\n${applications.map((a) => `${a.name}: ${a.category}`).join('\n')}`));
  blocks.push(section(`*Exhausted escalation* (${Number(exhaustedCount[0]?.n ?? 0)})\n${exhausted.map((t) => `#${t.id} ${t.subject}`).join('\n')}`));
  for (const s of suspended) blocks.push({ ...section(`${s.name}: ${s.suspension_reason ?? ''}`), accessory: { type: 'button', action_id: 'expert.reinstate', text: { type: 'plain_text', text: 'Reinstate' } } });
  blocks.push(section(`Suspended: ${Number(suspendedCount[0]?.n ?? 0)}`));
  for (const [label, s] of [['Last 7 days', week], ['Last 30 days', month]] as [string, Statistics][]) {
    blocks.push(section(`*${label}*: ${s.tickets.filed} filed, ${s.tickets.booked} booked, ${s.tickets.resolved} resolved, ${s.tickets.escalated} escalated, ${s.tickets.exhausted} exhausted; book ${minutes(s.timeToBook.medianMs)}, resolve ${minutes(s.timeToResolve.medianMs)}; ${s.satisfaction.byCategory.map((c) => `${c.name} ${c.surveys}`).join(', ')}`));
  }
  return { type: 'home', blocks: blocks.slice(0, 100) };
}
