import { toPlainText } from '../../lib/plain-text.ts';
import type { SurveyRow } from '../../db/repositories/surveys.ts';
import type { DomainContext } from '../domain-context.ts';
import { surveyRating } from '../ranking/rules.ts';
import { fillSurveyAndClose } from '../tickets/close-ticket.ts';
import { ticketPublicId } from '../tickets/ticket-public-id.ts';
import { hashSurveyToken, looksLikeSurveyToken } from './survey-token.ts';

/** The customer's answer, already checked (survey page): scores 1–5, a comment of at most 2,000 characters. */
export interface SurveyAnswer {
  solved: boolean;
  timeliness: number;
  helpfulness: number;
  comment: string | null;
}

export const COMMENT_MAX = 2000;

/** What the survey page shows about a survey: which ticket and expert (by alias), and whether it still waits. */
export interface SurveyView {
  publicId: string;
  expertAlias: string | null;
  categoryName: string | null;
  status: SurveyRow['status'];
}

export type AnswerOutcome = { outcome: 'answered'; view: SurveyView } | { outcome: 'already'; view: SurveyView } | { outcome: 'not_found' };

async function findByToken(ctx: DomainContext, token: string): Promise<SurveyRow | undefined> {
  if (!looksLikeSurveyToken(token)) return undefined;
  return ctx.db.surveys.byTokenHash(hashSurveyToken(token));
}

async function viewOf(ctx: DomainContext, survey: SurveyRow): Promise<SurveyView> {
  const names = await ctx.db.surveys.namesFor(survey.id);
  return { publicId: ticketPublicId(survey.ticketId), expertAlias: names.expertAlias, categoryName: names.categoryName, status: survey.status };
}

/** The survey a link's token opens, if any (unknown and malformed tokens alike: none). */
export async function viewSurvey(ctx: DomainContext, token: string): Promise<SurveyView | undefined> {
  const survey = await findByToken(ctx, token);
  return survey ? viewOf(ctx, survey) : undefined;
}

/**
 * The customer answers the survey their link opens: the answer is stored, counts in the
 * expert's ranking and fee, and the ticket closes (see tickets/close-ticket.ts). A survey
 * answered before, or filled by the defaults, stays as it is ('already').
 */
export async function answerSurvey(ctx: DomainContext, token: string, answer: SurveyAnswer): Promise<AnswerOutcome> {
  const found = await findByToken(ctx, token);
  if (!found) return { outcome: 'not_found' };
  // Cut to the limit (callers other than the page may send more), never inside a surrogate pair.
  const comment = answer.comment === null ? null : toPlainText(toPlainText(answer.comment).trim().slice(0, COMMENT_MAX)) || null;
  const outcome = await ctx.db.unitOfWork(async (transaction) => {
    // The ticket's row lock first, as everything that writes to a ticket takes it.
    const ticket = await ctx.db.tickets.byId(found.ticketId, { transaction, forUpdate: true });
    const survey = await ctx.db.surveys.byId(found.id, { transaction });
    if (!ticket || !survey || survey.status !== 'pending') return 'already' as const;
    return fillSurveyAndClose(ctx, transaction, ticket, survey, { status: 'answered', solved: answer.solved, timeliness: answer.timeliness, helpfulness: answer.helpfulness, comment, rating: surveyRating(answer), weight: 1 });
  });
  const survey = await ctx.db.surveys.byId(found.id);
  // Gone meanwhile (its ticket deleted): as if the link were unknown.
  if (!survey) return { outcome: 'not_found' };
  const view = await viewOf(ctx, survey);
  return outcome === 'closed' ? { outcome: 'answered', view } : { outcome: 'already', view };
}
