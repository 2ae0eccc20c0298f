import { z } from 'zod';
import { workingHoursSchema, type WorkingHours } from '../dispatch/working-hours.ts';

/** How an expert's week is set: paged at any time, in a window within each day, or in one running past midnight. */
export const SCHEDULES = ['any', 'day', 'overnight'] as const;
export type Schedule = (typeof SCHEDULES)[number];

/** At most this many absences not yet over, so the list fits the form that removes them. */
export const MAX_UPCOMING_ABSENCES = 10;
/** The longest absence, in days: longer ones are a suspension or a check-out, not a holiday. */
export const MAX_ABSENCE_DAYS = 366;

/** The fields of the availability form, as the error messages are keyed (the modal's block ids are the same). */
export type AvailabilityField = 'schedule' | 'days' | 'start' | 'end' | 'absence_first' | 'absence_last' | 'remove';
export type AvailabilityErrors = Partial<Record<AvailabilityField, string>>;

export const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar day `YYYY-MM-DD` that exists (not 2026-02-30). */
export function isCalendarDay(day: string): boolean {
  if (!DAY.test(day)) return false;
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** The calendar day `days` after `day` (negative: before). */
export function addDays(day: string, days: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** Days from `a` to `b` (both `YYYY-MM-DD`). */
function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** The calendar day it is at `at` in `timeZone`. */
export function dayIn(timeZone: string, at: Date): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** How far `timeZone`'s wall clock is ahead of UTC at `at`, in milliseconds. */
function offsetAt(timeZone: string, at: number): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' }).formatToParts(at);
  const n = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second')) - Math.floor(at / 1000) * 1000;
}

/**
 * The instant a calendar day starts in `timeZone` (its midnight; where a clock change skips
 * midnight, the first moment of the day after it).
 */
export function startOfDayIn(day: string, timeZone: string): Date {
  const wall = Date.parse(`${day}T00:00:00Z`);
  const guess = wall - offsetAt(timeZone, wall);
  const offset = offsetAt(timeZone, guess);
  return new Date(wall - offset);
}

/** Whether `timeZone` is an IANA zone this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  return workingHoursSchema.shape.timeZone.safeParse(timeZone).success;
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const hhmmOf = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/**
 * Working hours as they read in another time zone, with the clocks as they stand at `at`
 * (the days move with a window that crosses midnight). Null when the other zone cannot
 * say them (a whole day that would start at another hour).
 */
export function hoursInZone(hours: WorkingHours, timeZone: string, at: Date): WorkingHours | null {
  if (hours.timeZone === timeZone) return hours;
  const shift = Math.round((offsetAt(timeZone, at.getTime()) - offsetAt(hours.timeZone, at.getTime())) / 60_000);
  const start = minutesOf(hours.start);
  const end = minutesOf(hours.end);
  const length = end > start ? end - start : end + 1440 - start;
  const moved = start + shift;
  const dayShift = Math.floor(moved / 1440);
  const newStart = moved - dayShift * 1440;
  if (length >= 1440 && newStart !== 0) return null;
  const newEnd = newStart + length;
  const days = [...new Set(hours.days.map((d) => (((d + dayShift) % 7) + 7) % 7))].sort((a, b) => a - b);
  return { timeZone, days, start: hhmmOf(newStart), end: newEnd === 1440 ? '24:00' : hhmmOf(newEnd % 1440) };
}

/** What the availability form sends, as plain data (from Slack's modal, or later the portal). */
export const availabilityFormSchema = z.object({
  timeZone: z.string(),
  schedule: z.enum(SCHEDULES),
  days: z.array(z.number().int().min(0).max(6)).max(7),
  start: z.string().nullable(),
  end: z.string().nullable(),
  absenceFirstDay: z.string().nullable(),
  absenceLastDay: z.string().nullable(),
  removeAbsenceIds: z.array(z.number().int().positive()).max(100),
});
export type AvailabilityForm = z.infer<typeof availabilityFormSchema>;

/** What a valid form means: the hours to store (null = any time) and the absence to add, if any. */
export interface AvailabilityChange {
  workingHours: WorkingHours | null;
  addAbsence: { firstDay: string; lastDay: string; timeZone: string; startsAt: Date; endsAt: Date } | null;
  removeAbsenceIds: number[];
}

/**
 * Checks the form at `now` and says what it means, or what is wrong, by field. A day window
 * ending at 00:00 runs to midnight (stored as 24:00); an overnight one must end before it
 * starts, and a day one after. An absence's days are in the form's time zone, inclusive;
 * one that is already over is refused.
 */
export function readAvailabilityForm(form: AvailabilityForm, now: Date): { ok: true; change: AvailabilityChange } | { ok: false; errors: AvailabilityErrors } {
  const errors: AvailabilityErrors = {};
  if (!isTimeZone(form.timeZone)) errors.schedule = `Helpnet does not know the time zone "${form.timeZone}". Set your time zone in Slack and open this form again.`;

  let workingHours: WorkingHours | null = null;
  if (form.schedule !== 'any') {
    const days = [...new Set(form.days)].sort((a, b) => a - b);
    if (days.length === 0) errors.days = 'Tick at least one day, or choose “Any time”.';
    if (!form.start || !HHMM.test(form.start)) errors.start = 'Choose when your hours start.';
    if (!form.end || !HHMM.test(form.end)) errors.end = 'Choose when your hours end.';
    if (form.start && form.end && HHMM.test(form.start) && HHMM.test(form.end)) {
      if (form.schedule === 'day') {
        const end = form.end === '00:00' ? '24:00' : form.end;
        if (end === form.start) errors.end = 'The end is the same as the start: choose a later end.';
        else if (end < form.start) errors.end = 'The end is before the start. For hours that run past midnight, choose “Overnight”.';
        else workingHours = { timeZone: form.timeZone, days, start: form.start, end };
      } else if (form.end >= form.start) {
        errors.end = 'Overnight hours end the next day, so the end must be earlier than the start (for example 22:00 to 06:00).';
      } else {
        workingHours = { timeZone: form.timeZone, days, start: form.start, end: form.end };
      }
    }
  }

  let addAbsence: AvailabilityChange['addAbsence'] = null;
  const { absenceFirstDay: first, absenceLastDay: last } = form;
  if (first || last) {
    if (!first) errors.absence_first = 'Choose the first day you are away.';
    else if (!isCalendarDay(first)) errors.absence_first = 'That is not a day Helpnet can read.';
    if (!last) errors.absence_last = 'Choose the last day you are away.';
    else if (!isCalendarDay(last)) errors.absence_last = 'That is not a day Helpnet can read.';
    if (first && last && isCalendarDay(first) && isCalendarDay(last) && !errors.schedule) {
      if (last < first) errors.absence_last = 'The last day is before the first.';
      else if (last < dayIn(form.timeZone, now)) errors.absence_last = 'These days are already over: choose days from today on.';
      else if (daysBetween(first, last) + 1 > MAX_ABSENCE_DAYS) errors.absence_last = `An absence lasts at most ${MAX_ABSENCE_DAYS} days: add another for the rest.`;
      else addAbsence = { firstDay: first, lastDay: last, timeZone: form.timeZone, startsAt: startOfDayIn(first, form.timeZone), endsAt: startOfDayIn(addDays(last, 1), form.timeZone) };
    }
  }

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, change: { workingHours, addAbsence, removeAbsenceIds: [...new Set(form.removeAbsenceIds)] } };
}

/** "Mon–Fri", "every day", "Sat, Sun": the days of a week, in words. */
export function describeDays(days: readonly number[]): string {
  const set = [...new Set(days)].sort((a, b) => a - b);
  if (set.length === 7) return 'every day';
  if (set.join(',') === '1,2,3,4,5') return 'Mon–Fri';
  // Monday first, as a working week reads.
  return [...set.filter((d) => d !== 0), ...set.filter((d) => d === 0)].map((d) => DAY_NAMES[d]).join(', ');
}

/** Working hours in words: "Mon–Fri, 07:00–18:00 (Australia/Brisbane)", or "any time". */
export function describeWorkingHours(hours: WorkingHours | null): string {
  if (!hours) return 'any time';
  const end = hours.end === '24:00' ? 'midnight' : hours.end;
  const overnight = hours.end < hours.start ? ' the next day' : '';
  return `${describeDays(hours.days)}, ${hours.start}–${end}${overnight} (${hours.timeZone})`;
}

/** "Thu 24 Dec 2026" for `2026-12-24`. */
export function describeDay(day: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' }).format(new Date(`${day}T00:00:00Z`)).replace(/,/g, '');
}

/** An absence in words: "Thu 24 Dec 2026 – Sat 2 Jan 2027" (or one day). */
export function describeAbsence(absence: { firstDay: string; lastDay: string }): string {
  return absence.firstDay === absence.lastDay ? describeDay(absence.firstDay) : `${describeDay(absence.firstDay)} – ${describeDay(absence.lastDay)}`;
}
