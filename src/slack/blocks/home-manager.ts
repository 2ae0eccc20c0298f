import type { KnownBlock } from '@slack/types';
import type { ManagerHome, StatsSummary } from '../../domain/home/home-data.ts';
import { ticketPublicId } from '../../domain/tickets/ticket-public-id.ts';
import { escapeAndTruncate } from '../../lib/mrkdwn.ts';
import { REINSTATE_ACTION_ID } from './suspension-alert.ts';
import { slackDate } from './ticket-card.ts';
import { button, formatDuration, formatScore, header, joinLines, pager } from './home-parts.ts';
import { mrkdwn, mrkdwnSection } from './text.ts';

/** A person as managers see them: the name (escaped) and, when known, their Slack mention. */
function who(name: string, slackUserId: string | null, max = 60): string {
  const mention = slackUserId && /^[UW][A-Z0-9]{1,30}$/.test(slackUserId) ? ` (<@${slackUserId}>)` : '';
  return `*${escapeAndTruncate(name, max)}*${mention}`;
}

const percent = (share: number | null) => (share === null ? '—' : `${Math.round(share * 100)}%`);

function statsSection(s: StatsSummary): KnownBlock {
  const lines = [
    `*Last ${s.days} days* (as of ${slackDate(s.asOf, '{time}')})`,
    `Filed ${s.filed} · booked ${s.booked} · resolved ${s.resolved}`,
    `Escalated ${s.escalated} · no tier booked ${s.exhausted}`,
    `Time to book (median) ${formatDuration(s.medianToBookMs)} · to resolve ${formatDuration(s.medianToResolveMs)}`,
    `Surveys ${s.surveys} · helpfulness ${s.meanHelpfulness === null ? '—' : s.meanHelpfulness.toFixed(2)} · solved ${percent(s.solvedRate)}`,
  ];
  return mrkdwnSection(lines.join('\n'));
}

/** What only managers see on the App Home: leaderboard, applications, unbooked escalations, suspensions, statistics. */
export function buildManagerHomeBlocks(m: ManagerHome): KnownBlock[] {
  const blocks: KnownBlock[] = [header('Managers: the network')];

  blocks.push(header(`Leaderboard (${m.leaderboard.total} approved expert${m.leaderboard.total === 1 ? '' : 's'})`));
  blocks.push({ type: 'context', elements: [mrkdwn(`Best score first. Tickets and median times (from filing to booking, and to resolution) count the bookings of the last ${m.leaderboardDays} days.`)] });
  if (m.leaderboard.items.length === 0) blocks.push(mrkdwnSection('No approved experts yet.'));
  else {
    const lines = m.leaderboard.items.map(
      (l) =>
        `*${l.rank}.* ${who(l.name, l.slackUserId, 50)} · score ${formatScore(l.score)} · ${l.surveys} survey${l.surveys === 1 ? '' : 's'} · ${l.tickets} ticket${l.tickets === 1 ? '' : 's'} · book ${formatDuration(l.medianToBookMs)} · resolve ${formatDuration(l.medianToResolveMs)}${l.suspended ? ' · :no_entry: suspended' : ''}`,
    );
    blocks.push(mrkdwnSection(joinLines(lines)));
  }
  blocks.push(...pager('leaderboard', m.leaderboard));

  blocks.push({ type: 'divider' }, header(`Pending applications (${m.applications.total})`));
  if (m.applications.items.length === 0) blocks.push(mrkdwnSection('None.'));
  for (const a of m.applications.items) {
    blocks.push(mrkdwnSection(`${who(a.name, a.slackUserId)} applied ${slackDate(a.appliedAt, '{date_short_pretty}')} for ${escapeAndTruncate(a.categories.join(', ') || '(no category)', 1500)}`));
  }
  blocks.push(...pager('applications', m.applications));

  blocks.push({ type: 'divider' }, header(`Tickets no tier booked (${m.exhausted.total})`));
  if (m.exhausted.items.length === 0) blocks.push(mrkdwnSection('None: every escalated ticket found an expert.'));
  else {
    const lines = m.exhausted.items.map((t) => `• *${ticketPublicId(t.ticketId)}* · ${escapeAndTruncate(t.categoryName, 100)} · ${t.urgency} urgency · unbooked at every tier since ${slackDate(t.exhaustedAt, '{date_short_pretty} {time}')}`);
    blocks.push(mrkdwnSection(joinLines(lines)));
  }
  blocks.push(...pager('exhausted', m.exhausted));

  blocks.push({ type: 'divider' }, header(`Suspended experts (${m.suspended.total})`));
  if (m.suspended.items.length === 0) blocks.push(mrkdwnSection('None.'));
  for (const s of m.suspended.items) {
    blocks.push({
      type: 'section',
      text: mrkdwn(`${who(s.name, s.slackUserId)} suspended ${slackDate(s.suspendedAt, '{date_short_pretty}')}: ${escapeAndTruncate(s.reason ?? 'no reason recorded', 1000)}`),
      accessory: button('Reinstate', REINSTATE_ACTION_ID, String(s.expertId), 'primary'),
    });
  }
  blocks.push(...pager('suspended', m.suspended));

  blocks.push({ type: 'divider' }, header('Statistics'));
  for (const s of m.stats) blocks.push(statsSection(s));
  blocks.push({ type: 'context', elements: [mrkdwn('Definitions: docs/statistics.md. `npm run helpnet -- stats` prints them for any range.')] });
  return blocks;
}
