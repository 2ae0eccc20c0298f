import type { KnownBlock } from '@slack/types';
import type { ExpertHome } from '../../domain/home/home-data.ts';
import type { WorkingHours } from '../../domain/dispatch/working-hours.ts';
import { formatMajor } from '../../domain/money/rules.ts';
import { ticketPublicId } from '../../domain/tickets/ticket-public-id.ts';
import { escapeAndTruncate, escapeMrkdwn } from '../../lib/mrkdwn.ts';
import { BOOK_ACTION_ID, slackDate } from './ticket-card.ts';
import { button, formatScore, header, joinLines, pager } from './home-parts.ts';
import { mrkdwn, mrkdwnSection } from './text.ts';

/** App Home buttons (stable: DESIGN.md names them). */
export const CHECK_IN_ACTION_ID = 'expert.check_in';
export const CHECK_OUT_ACTION_ID = 'expert.check_out';
/** Opens the working hours and absences modal (its listener lives with the modal). */
export const EDIT_AVAILABILITY_ACTION_ID = 'expert.edit_availability';

const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const URGENCY = { low: 'Low', normal: 'Normal', high: ':rotating_light: High' } as const;

/** "Mon–Fri 09:00–17:00 (Europe/Berlin)": runs of days joined, Monday first. */
export function describeWorkingHours(hours: WorkingHours | null): string {
  if (!hours) return 'any time';
  const order = [1, 2, 3, 4, 5, 6, 0].filter((d) => hours.days.includes(d));
  const runs: number[][] = [];
  for (const d of order) {
    const run = runs.at(-1);
    const prev = run?.at(-1);
    if (run && prev !== undefined && (prev + 1) % 7 === d && prev !== 0) run.push(d);
    else runs.push([d]);
  }
  const days = runs.map((r) => (r.length >= 3 ? `${DAY_NAMES[r[0]!]}–${DAY_NAMES[r.at(-1)!]}` : r.map((d) => DAY_NAMES[d]).join(', '))).join(', ');
  return `${days} ${hours.start}–${hours.end} (${escapeMrkdwn(hours.timeZone)})`;
}

/** The link that opens the expert's DM with Helpnet, where the ticket's thread is. */
export function dmLink(channel: string): string {
  return `https://slack.com/app_redirect?channel=${encodeURIComponent(channel)}`;
}

/** The expert's own part of the App Home: status, hours, standing, open tickets, tickets to book. */
export function buildExpertHomeBlocks(e: ExpertHome): KnownBlock[] {
  const blocks: KnownBlock[] = [header(`Your Helpnet, ${e.name}`)];
  const status = e.checkedIn
    ? ':large_green_circle: *You are checked in*: you are paged for new tickets of your categories, within your working hours.'
    : ':white_circle: *You are checked out*: you are not paged. You can still book tickets from the channel or below.';
  const suspension = e.suspension ? `\n:no_entry: *You are suspended*${e.suspension.reason ? ` (${escapeAndTruncate(e.suspension.reason, 500)})` : ''}: you are not paged and cannot book until a Helpnet manager reinstates you.` : '';
  blocks.push({
    type: 'section',
    block_id: 'home.status',
    text: mrkdwn(status + suspension),
    accessory: e.checkedIn ? button('Check out', CHECK_OUT_ACTION_ID, 'check_out') : button('Check in', CHECK_IN_ACTION_ID, 'check_in', 'primary'),
  });
  blocks.push({
    type: 'section',
    block_id: 'home.hours',
    text: mrkdwn(`*Working hours:* ${describeWorkingHours(e.workingHours)}`),
    accessory: button('Set hours and absences', EDIT_AVAILABILITY_ACTION_ID, 'edit'),
  });
  const money = e.earnings.amounts.length === 0 ? 'nothing yet' : e.earnings.amounts.map((a) => `${formatMajor(a.amountMinor)} ${escapeMrkdwn(a.currency)} (${a.tickets} ticket${a.tickets === 1 ? '' : 's'})`).join(', ');
  blocks.push({
    type: 'section',
    block_id: 'home.standing',
    fields: [
      mrkdwn(`*Your score*\n${formatScore(e.score)}`),
      mrkdwn(`*Your rank*\n${e.rank > 0 ? `#${e.rank} of ${e.rankedOf}` : '—'}`),
      mrkdwn(`*Surveys*\n${e.surveys}`),
      mrkdwn(`*Earned in ${e.earnings.period}*\n${money}`),
    ],
  });

  blocks.push({ type: 'divider' }, header(`Your open tickets (${e.openTickets.total})`));
  if (e.openTickets.items.length === 0) blocks.push(mrkdwnSection('None. Book one below or from your group\'s channel.'));
  else {
    const lines = e.openTickets.items.map((t) => {
      const state = t.status === 'close_pending' ? 'resolved, waiting for the survey' : `booked ${t.bookedAt ? slackDate(t.bookedAt, '{ago}') : ''}`.trim();
      const where = t.threadChannel ? `<${dmLink(t.threadChannel)}|its thread is in your DM with Helpnet>` : 'its thread is being posted in your DM with Helpnet';
      return `• *${ticketPublicId(t.ticketId)}* · ${escapeAndTruncate(t.categoryName, 100)} · ${state} · ${where}`;
    });
    blocks.push(mrkdwnSection(joinLines(lines)));
  }
  blocks.push(...pager('open', e.openTickets));

  blocks.push({ type: 'divider' }, header(`Tickets you can book (${e.unassigned.total})`));
  if (e.suspension) blocks.push(mrkdwnSection('None while you are suspended.'));
  else if (e.unassigned.items.length === 0) blocks.push(mrkdwnSection('None right now: every ticket of your categories has an expert.'));
  for (const t of e.unassigned.items) {
    const tier = t.exhausted ? ' · no tier booked it' : t.tier ? ` · tier ${t.tier}` : '';
    blocks.push({
      type: 'section',
      text: mrkdwn(`*${ticketPublicId(t.ticketId)}* · ${escapeAndTruncate(t.categoryName, 100)} · ${URGENCY[t.urgency]} · filed ${slackDate(t.filedAt, '{ago}')}${tier}`),
      accessory: button('Book', BOOK_ACTION_ID, ticketPublicId(t.ticketId), 'primary'),
    });
  }
  blocks.push(...pager('unassigned', e.unassigned));
  return blocks;
}
