import { describe, expect, it } from 'vitest';
import { isWithinWorkingHours, parseWorkingHours, workingHoursSchema, type WorkingHours } from '../../src/domain/dispatch/working-hours.ts';

const within = (hours: WorkingHours | null | undefined, iso: string) => isWithinWorkingHours(hours, new Date(iso));
const MON_TO_FRI = [1, 2, 3, 4, 5];

describe('working hours', () => {
  it('without hours, any time', () => {
    expect(within(null, '2024-03-09T03:00:00Z')).toBe(true);
    expect(within(undefined, '2024-03-09T03:00:00Z')).toBe(true);
  });

  it('a day window in the expert’s time zone: start included, end excluded, other days out', () => {
    const berlin: WorkingHours = { timeZone: 'Europe/Berlin', days: MON_TO_FRI, start: '09:00', end: '17:00' };
    // Monday 4 March 2024, Berlin on CET (UTC+1).
    expect(within(berlin, '2024-03-04T07:59:00Z')).toBe(false); // 08:59
    expect(within(berlin, '2024-03-04T08:00:00Z')).toBe(true); // 09:00
    expect(within(berlin, '2024-03-04T15:59:00Z')).toBe(true); // 16:59
    expect(within(berlin, '2024-03-04T16:00:00Z')).toBe(false); // 17:00
    // Saturday 9 March, 11:00 in Berlin.
    expect(within(berlin, '2024-03-09T10:00:00Z')).toBe(false);
    // Monday 1 July, summer time (UTC+2): the same wall-clock hours, two hours earlier in UTC.
    expect(within(berlin, '2024-07-01T07:00:00Z')).toBe(true); // 09:00 CEST
    expect(within(berlin, '2024-07-01T15:00:00Z')).toBe(false); // 17:00 CEST
  });

  it('reads the day in the expert’s time zone, not in UTC', () => {
    const tokyo: WorkingHours = { timeZone: 'Asia/Tokyo', days: [1], start: '09:00', end: '17:00' };
    // Sunday 23:30 UTC is Monday 08:30 in Tokyo; Monday 00:30 UTC is 09:30 there.
    expect(within(tokyo, '2024-03-03T23:30:00Z')).toBe(false);
    expect(within(tokyo, '2024-03-04T00:30:00Z')).toBe(true);
    const utc: WorkingHours = { ...tokyo, timeZone: 'UTC' };
    expect(within(utc, '2024-03-04T00:30:00Z')).toBe(false);
    // Half-hour offsets (India, UTC+5:30).
    const kolkata: WorkingHours = { timeZone: 'Asia/Kolkata', days: [1], start: '09:00', end: '17:00' };
    expect(within(kolkata, '2024-03-04T03:29:00Z')).toBe(false);
    expect(within(kolkata, '2024-03-04T03:30:00Z')).toBe(true);
  });

  it('an overnight window belongs to the day it starts on', () => {
    // Friday nights in New York, 22:00 to 06:00 (EST, UTC-5, in March before the change).
    const fridayNights: WorkingHours = { timeZone: 'America/New_York', days: [5], start: '22:00', end: '06:00' };
    expect(within(fridayNights, '2024-03-09T02:59:00Z')).toBe(false); // Fri 21:59
    expect(within(fridayNights, '2024-03-09T03:00:00Z')).toBe(true); // Fri 22:00
    expect(within(fridayNights, '2024-03-09T04:00:00Z')).toBe(true); // Fri 23:00
    expect(within(fridayNights, '2024-03-09T05:00:00Z')).toBe(true); // Sat 00:00
    expect(within(fridayNights, '2024-03-09T10:59:00Z')).toBe(true); // Sat 05:59
    expect(within(fridayNights, '2024-03-09T11:00:00Z')).toBe(false); // Sat 06:00
    expect(within(fridayNights, '2024-03-08T10:00:00Z')).toBe(false); // Fri 05:00: Thursday night, not listed
    expect(within(fridayNights, '2024-03-10T04:00:00Z')).toBe(false); // Sat 23:00: not listed
  });

  it('an overnight window from Saturday runs into Sunday', () => {
    const saturdayNights: WorkingHours = { timeZone: 'America/New_York', days: [6], start: '20:00', end: '04:00' };
    // Saturday 15 June 2024, EDT (UTC-4).
    expect(within(saturdayNights, '2024-06-16T01:00:00Z')).toBe(true); // Sat 21:00
    expect(within(saturdayNights, '2024-06-16T07:59:00Z')).toBe(true); // Sun 03:59
    expect(within(saturdayNights, '2024-06-16T08:00:00Z')).toBe(false); // Sun 04:00
    expect(within(saturdayNights, '2024-06-15T07:00:00Z')).toBe(false); // Sat 03:00: Friday night, not listed
  });

  it('a window to 24:00 covers the whole day', () => {
    const allDay: WorkingHours = { timeZone: 'UTC', days: [2], start: '00:00', end: '24:00' };
    expect(within(allDay, '2024-03-05T00:00:00Z')).toBe(true);
    expect(within(allDay, '2024-03-05T23:59:00Z')).toBe(true);
    expect(within(allDay, '2024-03-06T00:00:00Z')).toBe(false);
  });

  it('stored hours that cannot be read count as any time; the schema names what is wrong', () => {
    expect(parseWorkingHours(null)).toBeNull();
    expect(parseWorkingHours('not json')).toBeNull();
    expect(parseWorkingHours(JSON.stringify({ timeZone: 'Mars/Olympus', days: [1], start: '09:00', end: '17:00' }))).toBeNull();
    expect(parseWorkingHours(JSON.stringify({ timeZone: 'UTC', days: [], start: '09:00', end: '17:00' }))).toBeNull();
    expect(parseWorkingHours(JSON.stringify({ timeZone: 'UTC', days: [1], start: '9:00', end: '17:00' }))).toBeNull();
    expect(parseWorkingHours(JSON.stringify({ timeZone: 'Europe/Berlin', days: [1, 2], start: '09:00', end: '17:30' }))).toEqual({ timeZone: 'Europe/Berlin', days: [1, 2], start: '09:00', end: '17:30' });
    const bad = workingHoursSchema.safeParse({ timeZone: 'Nowhere/City', days: [7], start: '25:00', end: '17:00' });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.path[0]).sort()).toEqual(['days', 'start', 'timeZone']);
  });
});
