import { z } from 'zod';
import { completeBooking } from '../../domain/booking/complete-booking.ts';
import { WORK } from '../../domain/domain-context.ts';
import { defineJob } from '../define-job.ts';

/** The follow-up of a won booking (idempotent; see domain/booking/complete-booking). */
export const completeBookingJob = defineJob({
  name: WORK.completeBooking,
  payload: z.object({ ticketId: z.number().int().positive(), expertId: z.number().int().positive(), aliasId: z.number().int().positive() }),
  options: { concurrency: 10, priority: 20 },
  async handler(ctx, payload) {
    await completeBooking(ctx, payload);
  },
});
