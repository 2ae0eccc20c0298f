import type { DomainContext } from '../domain-context.ts';
import { surveyRating } from '../ranking/rules.ts';
import { tellCustomer } from '../relay/route-message.ts';
import { fillSurveyAndClose } from '../tickets/close-ticket.ts';
import { ticketPublicId } from '../tickets/ticket-public-id.ts';
import { surveyTimeline, type SurveyStep } from './open-survey.ts';
import { surveyNoticeText } from './survey-notices.ts';

export type StepOutcome = 'reminded' | 'overtaken' | 'defaulted' | 'stale';

/**
 * A step of a survey's timeline came due: 1 and 2 remind the customer (with the link), 3
 * fills the survey with `survey.defaults`, counted at `ranking.defaultedWeight`, and closes
 * the ticket. Once the survey is answered, every step does nothing; a step that runs twice
 * (a restart between doing it and recording the job done), or after a later one, sends nothing again;
 * a reminder that runs only once the next step is due (after an outage) is skipped.
 */
export async function runSurveyStep(ctx: DomainContext, input: { surveyId: number; step: SurveyStep }): Promise<StepOutcome> {
  const found = await ctx.db.surveys.byId(input.surveyId);
  if (!found || found.status !== 'pending') return 'stale';
  return ctx.db.unitOfWork(async (transaction) => {
    const ticket = await ctx.db.tickets.byId(found.ticketId, { transaction, forUpdate: true });
    const survey = await ctx.db.surveys.byId(found.id, { transaction });
    if (!ticket || !survey || survey.status !== 'pending') return 'stale';
    const now = ctx.now();
    if (input.step === 3) {
      const defaults = ctx.routing.survey.defaults;
      const outcome = await fillSurveyAndClose(ctx, transaction, ticket, survey, { status: 'defaulted', ...defaults, comment: null, rating: surveyRating(defaults), weight: ctx.routing.ranking.defaultedWeight });
      return outcome === 'closed' ? 'defaulted' : 'stale';
    }
    // A reminder whose next step is due already (the server was down past both) would only
    // arrive together with it: the customer gets the later one alone.
    const due = surveyTimeline(ticket.resolvedAt ?? survey.createdAt, ctx.routing.survey);
    if (due[(input.step + 1) as SurveyStep] <= now) return 'overtaken';
    if (!(await ctx.db.surveys.markReminderSent(survey.id, input.step, { transaction, now }))) return 'stale';
    await tellCustomer(ctx, transaction, ticket, surveyNoticeText(input.step === 1 ? 'reminder' : 'final', { publicId: ticketPublicId(ticket.id) }), { surveyId: survey.id });
    return 'reminded';
  });
}
