import type { AllMiddlewareArgs, SlackViewMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import { applyAsExpert, type ApplicationInput } from '../../../domain/experts/apply-as-expert.ts';
import { categoryBlockId, NOT_APPLYING } from '../../blocks/expert-signup-modal.ts';
import type { SlackContext } from '../../slack-context.ts';

type Args = SlackViewMiddlewareArgs & AllMiddlewareArgs;

/** The submitted modal's state, as far as it is read: each block's `value` element (a text, a number or a select). */
const stateSchema = z.record(
  z.string(),
  z.object({ value: z.object({ value: z.string().nullish(), selected_option: z.object({ value: z.string() }).nullish() }).loose().optional() }).loose(),
);

/** A whole number as typed, NaN for anything else (the use case says what is wrong), undefined when empty. */
const wholeNumber = (text: string | null | undefined) => (text == null || text.trim() === '' ? undefined : /^\d{1,3}$/.test(text.trim()) ? Number(text.trim()) : Number.NaN);

/**
 * The `expert.signup` modal was submitted: its fields become an application (applyAsExpert,
 * the use case the portal calls too). Problems go back onto their fields and nothing is
 * stored; a stored application closes the modal, and the applicant hears by DM.
 */
export function expertSignupSubmission(services: SlackContext) {
  return async ({ ack, view, body, logger }: Args): Promise<void> => {
    const state = stateSchema.safeParse(view.state.values);
    if (!state.success) {
      await ack({ response_action: 'errors', errors: { name: 'Slack sent this form in a shape Helpnet does not know. Please open it again with /helpnet join.' } });
      return;
    }
    const values = state.data;
    const text = (block: string) => values[block]?.value?.value ?? undefined;
    const categoryBlocks = Object.keys(values).filter((b) => b.startsWith('categories.'));
    const input: ApplicationInput = {
      slackUserId: body.user.id,
      name: text('name') ?? '',
      email: text('email') ?? '',
      phone: text('phone') ?? '',
      yearsExperience: wholeNumber(text('yearsExperience')) as number,
      summary: text('summary') ?? '',
      referees: [
        { name: text('referees.0.name') ?? '', contact: text('referees.0.contact') ?? '' },
        { name: text('referees.1.name') ?? '', contact: text('referees.1.contact') ?? '' },
      ],
      categories: categoryBlocks.flatMap((b) => {
        const level = values[b]?.value?.selected_option?.value;
        return level && level !== NOT_APPLYING ? [{ key: b.slice('categories.'.length), level: level as ApplicationInput['categories'][number]['level'] }] : [];
      }),
    };
    try {
      const outcome = await applyAsExpert(services, input);
      if (outcome.outcome !== 'invalid') return void (await ack());
      // An error about the categories as a whole goes on the first category's field.
      const first = categoryBlocks[0] ?? categoryBlockId('');
      const errors: Record<string, string> = {};
      for (const [field, message] of Object.entries(outcome.errors)) {
        const block = field === 'categories' || field === 'form' ? first : field;
        if (block in values) errors[block] ??= message;
        else errors.name ??= message;
      }
      await ack({ response_action: 'errors', errors });
    } catch (err) {
      logger.error(`storing the expert application of ${body.user.id} failed: ${String(err)}`);
      await ack({ response_action: 'errors', errors: { name: 'Something went wrong storing your application. Please press Send application again.' } });
    }
  };
}
