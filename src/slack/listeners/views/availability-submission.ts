import type { AllMiddlewareArgs, SlackViewMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import { SCHEDULES, type AvailabilityForm } from '../../../domain/experts/availability-rules.ts';
import { setWorkingHours } from '../../../domain/experts/set-working-hours.ts';
import type { SlackContext } from '../../slack-context.ts';
import { NOT_APPROVED_ANSWER } from '../../open-availability-modal.ts';

type Args = SlackViewMiddlewareArgs & AllMiddlewareArgs;

const value = <T extends z.ZodTypeAny>(element: T) => z.object({ value: element }).optional();
const options = z.object({ selected_options: z.array(z.object({ value: z.string() })).nullish() });

/** The state of the `expert.availability` modal as Slack sends it (see blocks/availability-modal.ts); what is not there is empty. */
const stateSchema = z.object({
  schedule: value(z.object({ selected_option: z.object({ value: z.enum(SCHEDULES) }).nullish() })),
  days: value(options),
  start: value(z.object({ selected_time: z.string().nullish() })),
  end: value(z.object({ selected_time: z.string().nullish() })),
  remove: value(options),
  absence_first: value(z.object({ selected_date: z.string().nullish() })),
  absence_last: value(z.object({ selected_date: z.string().nullish() })),
});
const metadataSchema = z.object({ timeZone: z.string().min(1).max(64) });

const STALE = 'This form is out of date: close it and open it again.';

/** The submitted modal as the domain's plain form, or null when Slack sent something else than the modal has. */
export function readAvailabilityState(values: unknown, privateMetadata: string): AvailabilityForm | null {
  const state = stateSchema.safeParse(values);
  let metadata: z.infer<typeof metadataSchema> | undefined;
  try {
    metadata = metadataSchema.parse(JSON.parse(privateMetadata));
  } catch {
    metadata = undefined;
  }
  if (!state.success || !metadata) return null;
  const s = state.data;
  const ids = (s.remove?.value.selected_options ?? []).map((o) => Number(o.value));
  const days = (s.days?.value.selected_options ?? []).map((o) => Number(o.value));
  if (ids.some((id) => !Number.isSafeInteger(id) || id <= 0) || days.some((d) => !Number.isInteger(d) || d < 0 || d > 6)) return null;
  return {
    timeZone: metadata.timeZone,
    schedule: s.schedule?.value.selected_option?.value ?? 'any',
    days,
    start: s.start?.value.selected_time ?? null,
    end: s.end?.value.selected_time ?? null,
    absenceFirstDay: s.absence_first?.value.selected_date ?? null,
    absenceLastDay: s.absence_last?.value.selected_date ?? null,
    removeAbsenceIds: ids,
  };
}

/**
 * The `expert.availability` modal was submitted: an approved expert's weekly hours and
 * absences are stored (setWorkingHours, which also DMs them what now holds), and the modal
 * closes; anything wrong goes back onto its field, with nothing stored.
 */
export function availabilitySubmission(services: SlackContext) {
  return async ({ ack, view, body }: Args): Promise<void> => {
    const form = readAvailabilityState(view.state.values, view.private_metadata);
    if (!form) {
      await ack({ response_action: 'errors', errors: { schedule: STALE } });
      return;
    }
    try {
      const expert = await services.db.experts.approvedBySlackId(body.user.id);
      const result = expert ? await setWorkingHours(services, { expertId: expert.id, form }) : ({ outcome: 'not_approved' } as const);
      if (result.outcome === 'saved') await ack();
      else if (result.outcome === 'invalid') await ack({ response_action: 'errors', errors: result.errors });
      else await ack({ response_action: 'errors', errors: { schedule: NOT_APPROVED_ANSWER('/helpnet').replace(/`/g, '') } });
    } catch (err) {
      services.logger.error({ err }, `saving the availability of ${body.user.id} failed`);
      await ack({ response_action: 'errors', errors: { schedule: 'Something went wrong, so nothing was saved. Please press Save again.' } });
    }
  };
}
