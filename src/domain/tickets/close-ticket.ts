import { refreshHomes } from '../home/refresh-homes.ts';
import type { Transaction } from 'sequelize';
import type { SurveyFilling, SurveyRow } from '../../db/repositories/surveys.ts';
import type { TicketRow } from '../../db/repositories/tickets.ts';
import { releaseAliases } from '../aliases/assign-alias.ts';
import { refreshTicketMessages } from '../dispatch/refresh-ticket-messages.ts';
import { WORK, type DomainContext } from '../domain-context.ts';
import { recordClosingMoney } from '../money/record-closing-money.ts';
import { recordSurvey } from '../ranking/record-survey.ts';
import { reviewStanding } from '../ranking/review-standing.ts';
import { tellCustomer } from '../relay/route-message.ts';
import { ticketPublicId } from './ticket-public-id.ts';

export type CloseOutcome = 'closed' | 'already';

/**
 * Fills the ticket's survey in (the customer's answer, or the defaults) and closes the
 * ticket, in one transaction that holds the ticket's row lock: the survey counts in the
 * expert's ranking, the billing entry and the expert's fee are written, the expert's
 * standing is reviewed, both sides' aliases are released for later tickets (a late message
 * to them is refused), the Slack posts show it closed and the Zendesk ticket is solved.
 */
export async function fillSurveyAndClose(ctx: DomainContext, transaction: Transaction, ticket: TicketRow, survey: SurveyRow, filling: SurveyFilling): Promise<CloseOutcome> {
  const now = ctx.now();
  if (!(await ctx.db.surveys.fill(survey.id, filling, { transaction, now }))) return 'already';
  await ctx.db.tickets.markClosed(ticket.id, now, { transaction });
  await releaseAliases(ctx, transaction, ticket.id);
  const standing = await recordSurvey(ctx, transaction, { expertId: survey.expertId, categoryId: survey.categoryId, rating: filling.rating, weight: filling.weight });
  await recordClosingMoney(ctx, transaction, { ticket, expertId: survey.expertId, solved: filling.solved, score: standing.overall });
  await reviewStanding(ctx, transaction, standing);
  await refreshTicketMessages(ctx, transaction, ticket.id);
  const publicId = ticketPublicId(ticket.id);
  await tellCustomer(
    ctx,
    transaction,
    ticket,
    filling.status === 'answered' ? `Thank you for your answer. Your ticket ${publicId} is closed.` : `We did not hear back, so your ticket ${publicId} is closed as resolved. Thank you for using Helpnet.`,
  );
  if (ticket.source === 'zendesk') await ctx.outbox.add(transaction, WORK.zendeskStatus, { ticketId: ticket.id });
  // The expert's score, earnings and open tickets changed; so did the leaderboard.
  await refreshHomes(ctx, transaction, { experts: [survey.expertId] });
  await refreshHomes(ctx, transaction, { managers: true });
  return 'closed';
}
