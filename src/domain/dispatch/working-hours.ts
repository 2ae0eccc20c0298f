import { z } from 'zod';

/** When an expert may be paged: days of the week (0 = Sunday) and a daily window, in a time zone. */
export const workingHoursSchema = z.object({
  timeZone: z.string().refine((tz) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'expected an IANA time zone such as Europe/Berlin'),
  days: z.array(z.number().int().min(0).max(6)).min(1),
  start: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM'),
  end: z.string().regex(/^([01]\d|2[0-4]):[0-5]\d$/, 'expected HH:MM'),
});
export type WorkingHours = z.infer<typeof workingHoursSchema>;

const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * Is `now` inside the window? A window whose end is before its start runs overnight and
 * belongs to the day it starts on. No hours set means available at any time.
 */
export function isWithinWorkingHours(hours: WorkingHours | null | undefined, now: Date): boolean {
  if (!hours) return true;
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: hours.timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(now);
  const day = WEEKDAYS[parts.find((p) => p.type === 'weekday')!.value]!;
  const at = Number(parts.find((p) => p.type === 'hour')!.value) * 60 + Number(parts.find((p) => p.type === 'minute')!.value);
  const start = minutes(hours.start);
  const end = minutes(hours.end);
  if (start <= end) return hours.days.includes(day) && at >= start && at < end;
  // Overnight: the evening part on a listed day, the morning part on the day after one.
  return (hours.days.includes(day) && at >= start) || (hours.days.includes((day + 6) % 7) && at < end);
}

/** Parses stored hours; unreadable hours count as "any time" rather than hiding an expert. */
export function parseWorkingHours(json: string | null | undefined): WorkingHours | null {
  if (!json) return null;
  try {
    const parsed = workingHoursSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
