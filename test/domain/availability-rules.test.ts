import { describe, expect, it } from 'vitest';
import { isWithinWorkingHours } from '../../src/domain/dispatch/working-hours.ts';
import type { WorkingHours } from '../../src/domain/dispatch/working-hours.ts';
import { addDays, dayIn, describeAbsence, describeWorkingHours, hoursInZone, readAvailabilityForm, startOfDayIn, type AvailabilityForm } from '../../src/domain/experts/availability-rules.ts';

const form = (over: Partial<AvailabilityForm> = {}): AvailabilityForm => ({
  timeZone: 'Australia/Brisbane',
  schedule: 'day',
  days: [1, 2, 3, 4, 5],
  start: '07:00',
  end: '18:00',
  absenceFirstDay: null,
  absenceLastDay: null,
  removeAbsenceIds: [],
  ...over,
});
// Wednesday 2 December 2026, 15:00 UTC: already Thursday 3 December, 01:00, in Brisbane.
const NOW = new Date('2026-12-02T15:00:00Z');

describe('the availability form', () => {
  it('hours set in Brisbane (UTC+10) page at 08:00 there and not at 23:00, whatever the hour in UTC', () => {
    const read = readAvailabilityForm(form({ days: [0, 1, 2, 3, 4, 5, 6] }), NOW);
    expect(read).toEqual({ ok: true, change: { workingHours: { timeZone: 'Australia/Brisbane', days: [0, 1, 2, 3, 4, 5, 6], start: '07:00', end: '18:00' }, addAbsence: null, removeAbsenceIds: [] } });
    const hours = read.ok ? read.change.workingHours : null;
    expect(isWithinWorkingHours(hours, new Date('2026-12-01T22:00:00Z'))).toBe(true); // Wed 08:00 in Brisbane
    expect(isWithinWorkingHours(hours, new Date('2026-12-02T13:00:00Z'))).toBe(false); // Wed 23:00 in Brisbane
  });

  it('a day window ending at 00:00 runs to midnight; an overnight one must end before it starts', () => {
    expect(readAvailabilityForm(form({ start: '18:00', end: '00:00' }), NOW)).toMatchObject({ ok: true, change: { workingHours: { start: '18:00', end: '24:00' } } });
    expect(readAvailabilityForm(form({ schedule: 'overnight', start: '22:00', end: '06:00' }), NOW)).toMatchObject({ ok: true, change: { workingHours: { start: '22:00', end: '06:00' } } });
    expect(readAvailabilityForm(form({ start: '18:00', end: '07:00' }), NOW)).toMatchObject({ ok: false, errors: { end: expect.stringContaining('before the start') } });
    expect(readAvailabilityForm(form({ start: '09:00', end: '09:00' }), NOW)).toMatchObject({ ok: false, errors: { end: expect.stringContaining('the same as the start') } });
    expect(readAvailabilityForm(form({ schedule: 'overnight', start: '06:00', end: '22:00' }), NOW)).toMatchObject({ ok: false, errors: { end: expect.any(String) } });
    // Any time ignores the rest.
    expect(readAvailabilityForm(form({ schedule: 'any', days: [], start: null, end: null }), NOW)).toMatchObject({ ok: true, change: { workingHours: null } });
  });

  it('absences: whole days in the expert’s zone, inclusive; none already over, none backwards, none over a year', () => {
    const ok = readAvailabilityForm(form({ absenceFirstDay: '2026-12-24', absenceLastDay: '2027-01-02' }), NOW);
    expect(ok).toMatchObject({ ok: true, change: { addAbsence: { firstDay: '2026-12-24', lastDay: '2027-01-02', timeZone: 'Australia/Brisbane' } } });
    const absence = ok.ok ? ok.change.addAbsence! : undefined;
    expect(absence!.startsAt.toISOString()).toBe('2026-12-23T14:00:00.000Z');
    expect(absence!.endsAt.toISOString()).toBe('2027-01-02T14:00:00.000Z');
    // Today in Brisbane (3 December there) counts; yesterday there does not, though it is still 2 December in UTC.
    expect(readAvailabilityForm(form({ absenceFirstDay: '2026-12-03', absenceLastDay: '2026-12-03' }), NOW).ok).toBe(true);
    expect(readAvailabilityForm(form({ absenceFirstDay: '2026-12-01', absenceLastDay: '2026-12-02' }), NOW)).toMatchObject({ ok: false, errors: { absence_last: expect.stringContaining('already over') } });
    expect(readAvailabilityForm(form({ absenceFirstDay: '2026-12-10', absenceLastDay: '2026-12-09' }), NOW)).toMatchObject({ ok: false, errors: { absence_last: 'The last day is before the first.' } });
    expect(readAvailabilityForm(form({ absenceFirstDay: '2026-12-10', absenceLastDay: '2028-01-09' }), NOW)).toMatchObject({ ok: false, errors: { absence_last: expect.stringContaining('at most') } });
    expect(readAvailabilityForm(form({ absenceFirstDay: '2026-02-30', absenceLastDay: '2026-12-09' }), NOW)).toMatchObject({ ok: false, errors: { absence_first: expect.any(String) } });
  });

  it('finds the start of a day across summer-time changes', () => {
    // Berlin: the clocks go forward on 29 March 2026 at 02:00, back on 25 October.
    expect(startOfDayIn('2026-03-29', 'Europe/Berlin').toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(startOfDayIn('2026-03-30', 'Europe/Berlin').toISOString()).toBe('2026-03-29T22:00:00.000Z');
    expect(startOfDayIn('2026-10-26', 'Europe/Berlin').toISOString()).toBe('2026-10-25T23:00:00.000Z');
    expect(startOfDayIn('2026-07-01', 'America/New_York').toISOString()).toBe('2026-07-01T04:00:00.000Z');
    expect(startOfDayIn('2026-07-01', 'Asia/Kolkata').toISOString()).toBe('2026-06-30T18:30:00.000Z');
    expect(dayIn('Pacific/Auckland', new Date('2026-12-31T12:00:00Z'))).toBe('2027-01-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
  });

  it('says hours and absences in words', () => {
    expect(describeWorkingHours(null)).toBe('any time');
    expect(describeWorkingHours({ timeZone: 'UTC', days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' })).toBe('Mon–Fri, 09:00–17:00 (UTC)');
    expect(describeWorkingHours({ timeZone: 'UTC', days: [0, 6], start: '22:00', end: '06:00' })).toBe('Sat, Sun, 22:00–06:00 the next day (UTC)');
    expect(describeWorkingHours({ timeZone: 'UTC', days: [0, 1, 2, 3, 4, 5, 6], start: '18:00', end: '24:00' })).toBe('every day, 18:00–midnight (UTC)');
    expect(describeAbsence({ firstDay: '2026-12-24', lastDay: '2027-01-02' })).toBe('Thu 24 Dec 2026 – Sat 2 Jan 2027');
    expect(describeAbsence({ firstDay: '2026-12-24', lastDay: '2026-12-24' })).toBe('Thu 24 Dec 2026');
  });

  it('reads saved hours in another zone as the clocks stand, moving the days with them', () => {
    const at = new Date('2026-12-02T12:00:00Z'); // winter in Europe and New York
    const tokyo: WorkingHours = { timeZone: 'Asia/Tokyo', days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' };
    expect(hoursInZone(tokyo, 'Asia/Tokyo', at)).toBe(tokyo);
    expect(hoursInZone(tokyo, 'Australia/Brisbane', at)).toEqual({ timeZone: 'Australia/Brisbane', days: [1, 2, 3, 4, 5], start: '10:00', end: '18:00' });
    expect(hoursInZone({ timeZone: 'Europe/Berlin', days: [1], start: '22:00', end: '02:00' }, 'Asia/Tokyo', at)).toEqual({ timeZone: 'Asia/Tokyo', days: [2], start: '06:00', end: '10:00' });
    expect(hoursInZone({ timeZone: 'UTC', days: [1], start: '20:00', end: '24:00' }, 'Australia/Brisbane', at)).toEqual({ timeZone: 'Australia/Brisbane', days: [2], start: '06:00', end: '10:00' });
    expect(hoursInZone({ timeZone: 'Australia/Brisbane', days: [1], start: '08:00', end: '12:00' }, 'UTC', at)).toEqual({ timeZone: 'UTC', days: [0], start: '22:00', end: '02:00' });
    expect(hoursInZone({ timeZone: 'America/New_York', days: [6], start: '21:00', end: '23:00' }, 'UTC', at)).toEqual({ timeZone: 'UTC', days: [0], start: '02:00', end: '04:00' });
    expect(hoursInZone({ timeZone: 'UTC', days: [1], start: '00:00', end: '24:00' }, 'Australia/Brisbane', at)).toBeNull();
    // Whatever the zone, the same instants are inside: every hour of a week.
    const pairs: [WorkingHours, string][] = [
      [tokyo, 'America/New_York'],
      [{ timeZone: 'Europe/Berlin', days: [5, 6], start: '20:00', end: '03:30' }, 'Asia/Kolkata'],
      [{ timeZone: 'Australia/Brisbane', days: [0, 3], start: '07:00', end: '18:00' }, 'UTC'],
    ];
    for (const [hours, zone] of pairs) {
      const there = hoursInZone(hours, zone, at)!;
      for (let h = 0; h < 24 * 7; h += 1) {
        const t = new Date(at.getTime() + h * 3600_000);
        expect(isWithinWorkingHours(there, t)).toBe(isWithinWorkingHours(hours, t));
      }
    }
  });
});
