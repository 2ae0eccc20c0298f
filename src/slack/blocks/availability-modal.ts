import type { KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import type { WorkingHours } from '../../domain/dispatch/working-hours.ts';
import { DAY_NAMES, describeAbsence, hoursInZone, MAX_UPCOMING_ABSENCES } from '../../domain/experts/availability-rules.ts';
import type { AbsenceView } from '../../domain/experts/set-working-hours.ts';
import { escapeMrkdwn } from '../../lib/mrkdwn.ts';
import { mrkdwn, mrkdwnSection } from './text.ts';

export const AVAILABILITY_CALLBACK_ID = 'expert.availability';
/** The button on an expert's App Home that opens the availability modal. */
export const EDIT_AVAILABILITY_ACTION_ID = 'expert.edit_availability';

/** Where the modal's time zone came from: Slack now, the one they last saved in (Slack too slow), or UTC (nothing known). */
export type TimeZoneSource = 'slack' | 'stored' | 'utc';

/** What the modal carries to its submission (private_metadata). */
export interface AvailabilityModalMetadata {
  timeZone: string;
}

const plain = (text: string) => ({ type: 'plain_text' as const, text });
const option = (text: string, value: string, description?: string): PlainTextOption => ({ text: plain(text), value, ...(description ? { description: plain(description) } : {}) });

/** Monday first, as a working week reads. */
const WEEK = [1, 2, 3, 4, 5, 6, 0];
const DAY_OPTIONS = WEEK.map((d) => option(DAY_NAMES[d]!, String(d)));
const SCHEDULE_OPTIONS = {
  any: option('Any time', 'any', 'Paged whenever you are checked in'),
  day: option('These hours', 'day', 'From the start to the end on each day ticked'),
  overnight: option('Overnight hours', 'overnight', 'From the start on each day ticked to the end the next morning'),
};

function timeZoneNote(timeZone: string, source: TimeZoneSource, savedIn: string | null, converted: boolean): string {
  const zone = `*${escapeMrkdwn(timeZone)}*`;
  const lines = [
    source === 'slack'
      ? `Times and days are in your Slack time zone, ${zone}.`
      : source === 'stored'
        ? `:warning: Slack did not tell Helpnet your time zone in time, so times and days are in ${zone}, the zone you last saved in. If that is not yours, close this and open it again.`
        : `:warning: Slack did not tell Helpnet your time zone in time, so times and days are in ${zone}. If that is not yours, close this and open it again.`,
  ];
  if (savedIn && savedIn !== timeZone) {
    const saved = `*${escapeMrkdwn(savedIn)}*`;
    lines.push(
      converted
        ? `Your hours were saved in ${saved}; below they are in ${zone}, as the clocks stand today, and saving keeps them in ${zone}.`
        : `Your hours below were saved in ${saved}; they are shown as saved, and saving keeps them in ${zone}.`,
    );
  }
  return lines.join('\n');
}

/**
 * The availability modal: weekly working hours (any time, or days with a start and an end,
 * possibly overnight) and absences (remove those planned, add one). Block ids name the
 * form's fields (domain/experts/availability-rules.ts), so errors come back onto them.
 */
export function buildAvailabilityModal(input: { timeZone: string; source: TimeZoneSource; workingHours: WorkingHours | null; absences: readonly AbsenceView[]; now: Date }): ModalView {
  const saved = input.workingHours;
  // Shown in the zone the form is in; as saved where that zone cannot say them.
  const converted = saved ? hoursInZone(saved, input.timeZone, input.now) : null;
  const hours = converted ?? saved;
  const schedule = !hours ? 'any' : hours.end < hours.start ? 'overnight' : 'day';
  const days = hours?.days ?? [1, 2, 3, 4, 5];
  const blocks: KnownBlock[] = [
    mrkdwnSection(timeZoneNote(input.timeZone, input.source, saved?.timeZone ?? null, converted !== null), 'time_zone'),
    { type: 'header', text: plain('Working hours') },
    {
      type: 'input',
      block_id: 'schedule',
      label: plain('When may Helpnet page you?'),
      element: { type: 'radio_buttons', action_id: 'value', options: Object.values(SCHEDULE_OPTIONS), initial_option: SCHEDULE_OPTIONS[schedule] },
    },
    {
      type: 'input',
      block_id: 'days',
      optional: true,
      label: plain('Days'),
      element: { type: 'checkboxes', action_id: 'value', options: DAY_OPTIONS, initial_options: DAY_OPTIONS.filter((o) => days.includes(Number(o.value))) },
    },
    { type: 'input', block_id: 'start', optional: true, label: plain('Start'), element: { type: 'timepicker', action_id: 'value', initial_time: hours?.start ?? '09:00' } },
    {
      type: 'input',
      block_id: 'end',
      optional: true,
      label: plain('End'),
      hint: plain('00:00 with “These hours” means until midnight.'),
      element: { type: 'timepicker', action_id: 'value', initial_time: !hours ? '17:00' : hours.end === '24:00' ? '00:00' : hours.end },
    },
    { type: 'divider' },
    { type: 'header', text: plain('Absences') },
    { type: 'context', elements: [mrkdwn('Helpnet does not page you from the first day to the last, both included, in your time zone. You can still book from the channel.')] },
  ];
  const shown = input.absences.slice(0, MAX_UPCOMING_ABSENCES);
  if (shown.length > 0) {
    const options = shown.map((a) => option(describeAbsence(a), String(a.id), a.timeZone === input.timeZone ? undefined : `in ${a.timeZone}`.slice(0, 75)));
    blocks.push({ type: 'input', block_id: 'remove', optional: true, label: plain('Planned — tick to remove'), element: { type: 'checkboxes', action_id: 'value', options } });
  } else {
    blocks.push({ type: 'context', elements: [mrkdwn('No absences planned.')] });
  }
  blocks.push(
    { type: 'input', block_id: 'absence_first', optional: true, label: plain('Add an absence: first day'), element: { type: 'datepicker', action_id: 'value' } },
    { type: 'input', block_id: 'absence_last', optional: true, label: plain('Last day'), element: { type: 'datepicker', action_id: 'value' } },
  );
  return {
    type: 'modal',
    callback_id: AVAILABILITY_CALLBACK_ID,
    private_metadata: JSON.stringify({ timeZone: input.timeZone } satisfies AvailabilityModalMetadata),
    title: plain('Your availability'),
    submit: plain('Save'),
    close: plain('Cancel'),
    blocks,
  };
}

/** A modal that only says something (to someone who clicked where no ephemeral answer can go, such as the App Home). */
export function buildNoticeModal(title: string, text: string): ModalView {
  return { type: 'modal', title: plain(title.slice(0, 24)), close: plain('Close'), blocks: [mrkdwnSection(text)] };
}
