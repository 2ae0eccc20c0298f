import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { availabilityFormSchema, readAvailabilityForm, SCHEDULES } from '../../src/domain/experts/availability-rules.ts';
import { isWithinWorkingHours, workingHoursSchema } from '../../src/domain/dispatch/working-hours.ts';

/**
 * Whatever a tampered availability form carries in its text fields (Slack sends the time
 * zone back in the view's metadata, the times and days as the pickers' values), reading it
 * never throws: it is either refused with errors on the form's own fields, or means hours
 * paging can use and an absence with ordered times.
 */
const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', '\u0000', '24:00', '23:59', '00:00', '7:00', '07:00\u0000', '2026-13-01', '2026-02-30', '2026-12-03', '9999-12-31', '0000-01-01', 'Australia/Brisbane', 'Europe/Berlin', 'UTC', '../etc/passwd', 'Etc/GMT+99', '\uD83D'),
);
const form = fc.record({
  timeZone: text,
  schedule: fc.constantFrom(...SCHEDULES),
  days: fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { maxLength: 7 }),
  start: fc.option(text, { nil: null }),
  end: fc.option(text, { nil: null }),
  absenceFirstDay: fc.option(text, { nil: null }),
  absenceLastDay: fc.option(text, { nil: null }),
  removeAbsenceIds: fc.array(fc.integer({ min: 1, max: 1e6 }), { maxLength: 5 }),
});
const FIELDS = ['schedule', 'days', 'start', 'end', 'absence_first', 'absence_last', 'remove'];

describe('reading the availability form', () => {
  it('never throws on arbitrary text: errors on known fields, or hours and an absence that make sense', () => {
    fc.assert(
      fc.property(form, fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }), (f, now) => {
        expect(availabilityFormSchema.safeParse(f).success).toBe(true);
        const read = readAvailabilityForm(f, now);
        if (!read.ok) {
          expect(Object.keys(read.errors).length).toBeGreaterThan(0);
          for (const [field, message] of Object.entries(read.errors)) {
            expect(FIELDS).toContain(field);
            expect(typeof message).toBe('string');
          }
          return;
        }
        const { workingHours, addAbsence } = read.change;
        if (workingHours) {
          expect(workingHoursSchema.safeParse(workingHours).success).toBe(true);
          expect(typeof isWithinWorkingHours(workingHours, now)).toBe('boolean');
        }
        if (addAbsence) {
          expect(addAbsence.startsAt.getTime()).toBeLessThan(addAbsence.endsAt.getTime());
          expect(addAbsence.endsAt.getTime()).toBeGreaterThan(now.getTime());
        }
      }),
      { numRuns: 2000 },
    );
  });
});
