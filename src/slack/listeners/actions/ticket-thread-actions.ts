import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { releaseTicket, type ReleaseOutcome } from '../../../domain/booking/release-ticket.ts';
import { parseTicketPublicId, ticketPublicId } from '../../../domain/tickets/ticket-public-id.ts';
import type { SlackContext } from '../../slack-context.ts';
import { buildTicketResolveModal } from '../../blocks/ticket-resolve-modal.ts';
import { answerClicker } from '../../answer-clicker.ts';

type Args = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

const RELEASE_REPLIES: Record<ReleaseOutcome, (id: string) => string> = {
  released: (id) => `:leftwards_arrow_with_hook: You released *${id}*. It is back with the experts, and the customer will get someone else.`,
  not_yours: (id) => `*${id}* is not yours to release (any more).`,
  closed: (id) => `*${id}* is already resolved, so it cannot be released.`,
  not_found: () => 'That ticket no longer exists.',
};

/** An ephemeral answer to the clicker, in the thread they clicked in (not waited for: see answerClicker). */
function answer({ respond, body, logger }: Args, text: string): void {
  const threadTs = typeof body.container?.thread_ts === 'string' ? body.container.thread_ts : undefined;
  answerClicker(respond, logger, { text, threadTs });
}

/** Release (`ticket.release`): the expert hands the ticket back; it is dispatched again. */
export function releaseTicketAction(services: SlackContext) {
  return async (args: Args): Promise<void> => {
    await args.ack();
    const ticketId = parseTicketPublicId(args.action.value ?? '');
    const expert = await services.db.experts.bySlackId(args.body.user.id);
    const outcome: ReleaseOutcome = ticketId === undefined ? 'not_found' : !expert ? 'not_yours' : await releaseTicket(services, { ticketId, expertId: expert.id });
    answer(args, RELEASE_REPLIES[outcome](ticketPublicId(ticketId ?? 0)));
  };
}

/** Resolve (`ticket.resolve`): opens the resolve modal if the ticket is still the clicker's. */
export function resolveTicketAction(services: SlackContext) {
  return async (args: Args): Promise<void> => {
    await args.ack();
    const ticketId = parseTicketPublicId(args.action.value ?? '');
    const { Ticket } = services.db.models;
    const expert = await services.db.experts.bySlackId(args.body.user.id);
    const ticket = ticketId === undefined ? null : await Ticket.findByPk(ticketId);
    if (!ticket || !expert || ticket.expertId !== expert.id || ticket.status !== 'booked') {
      const id = ticketPublicId(ticketId ?? 0);
      answer(args, ticket && ['close_pending', 'closed'].includes(ticket.status) ? `*${id}* is already resolved.` : `*${id}* is not yours to resolve (any more).`);
      return;
    }
    await args.client.views.open({ trigger_id: args.body.trigger_id, view: buildTicketResolveModal(ticketPublicId(ticket.id)) });
  };
}
