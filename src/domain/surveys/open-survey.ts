import type { Transaction } from 'sequelize';
import type { TicketRow } from '../../db/repositories/tickets.ts';
import { WORK, type DomainContext } from '../domain-context.ts';
import { tellCustomer } from '../relay/route-message.ts';
import { ticketPublicId } from '../tickets/ticket-public-id.ts';
import { surveyNoticeText } from './survey-notices.ts';
import { hashSurveyToken, newSurveySalt } from './survey-token.ts';

const HOUR_MS = 60 * 60 * 1000;

/** The survey's timeline after Resolve, by step: 1 reminder, 2 final reminder, 3 defaults. */
export const SURVEY_STEPS = [1, 2, 3] as const;
export type SurveyStep = (typeof SURVEY_STEPS)[number];

/** When each step is due, from the moment the ticket was resolved (survey.*AfterHours may be fractions). */
export function surveyTimeline(resolvedAt: Date, survey: { remindAfterHours: number; finalAfterHours: number; defaultAfterHours: number }): Record<SurveyStep, Date> {
  const reminder = resolvedAt.getTime() + survey.remindAfterHours * HOUR_MS;
  const final = reminder + survey.finalAfterHours * HOUR_MS;
  const defaults = final + survey.defaultAfterHours * HOUR_MS;
  return { 1: new Date(reminder), 2: new Date(final), 3: new Date(defaults) };
}

/**
 * In the resolve transaction: the ticket's survey, its link told to the customer on their
 * channel, and its timeline scheduled (reminder, final reminder, defaults). Each step
 * does nothing once the survey is answered, so none needs cancelling.
 */
export async function openSurvey(ctx: DomainContext, transaction: Transaction, ticket: Pick<TicketRow, 'id' | 'source' | 'expertId' | 'categoryId'>, o: { expertId: number; expertLabel: string }): Promise<number> {
  const now = ctx.now();
  const salt = newSurveySalt();
  const surveyId = await ctx.db.surveys.open(
    { ticketId: ticket.id, expertId: o.expertId, categoryId: ticket.categoryId, tokenSalt: salt, tokenHash: hashSurveyToken(ctx.surveyLinks.tokenFor(salt)) },
    { transaction, now },
  );
  await tellCustomer(ctx, transaction, ticket, surveyNoticeText('link', { expertLabel: o.expertLabel, publicId: ticketPublicId(ticket.id) }), { surveyId });
  const due = surveyTimeline(now, ctx.routing.survey);
  for (const step of SURVEY_STEPS) await ctx.outbox.add(transaction, WORK.surveyStep, { surveyId, step }, { runAt: due[step] });
  // A Zendesk ticket waits on the customer (pending) until the survey closes it (solved).
  if (ticket.source === 'zendesk') await ctx.outbox.add(transaction, WORK.zendeskStatus, { ticketId: ticket.id });
  return surveyId;
}
