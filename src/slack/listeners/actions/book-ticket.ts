import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { bookTicket, type BookingOutcome } from '../../../domain/booking/book-ticket.ts';
import { parseTicketPublicId, ticketPublicId } from '../../../domain/tickets/ticket-public-id.ts';
import type { SlackContext } from '../../slack-context.ts';
import { GroupCommit } from '../../../lib/group-commit.ts';
import { escapeMrkdwn } from '../../../lib/mrkdwn.ts';
import { answerClicker } from '../../answer-clicker.ts';
import { mrkdwnSection } from '../../blocks/text.ts';
import { refreshClickerHome } from './home-actions.ts';

type Args = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

const REPLIES: Record<BookingOutcome, (id: string, category: string, reason: string) => string> = {
  booked: (id) => `:white_check_mark: You booked *${id}*. Thank you! Your thread for it is in your DM with Helpnet; the customer is being told an expert is on it.`,
  already_booked: () => 'Already booked — thanks!',
  not_qualified: (id, category) => `You are not approved for *${escapeMrkdwn(category)}* tickets, so you cannot book ${id}. A Helpnet manager can approve you.`,
  suspended: (id, _category, reason) => `You cannot book ${id}: your expert status is suspended (${escapeMrkdwn(reason)}). A Helpnet manager can reinstate you.`,
  closed: (id) => `*${id}* is already resolved or withdrawn.`,
  not_found: () => 'That ticket no longer exists.',
};

/**
 * The Book button (`ticket.book`, value `HN-<id>`). Acknowledged at once; the booking is one
 * conditional write, so of many simultaneous clicks exactly one wins. Each clicker gets an
 * ephemeral answer where they clicked, through the click's response_url (see answerClicker).
 */
export function bookTicketAction(services: SlackContext) {
  // Everyone paged clicks at once: the clickers are looked up together, in one query.
  const expertIds = new GroupCommit(async (slackUserIds: string[]) => {
    const byUser = await services.db.experts.idsBySlackIds(slackUserIds);
    return slackUserIds.map((u) => ({ status: 'fulfilled' as const, value: byUser.get(u) }));
  });
  return async ({ ack, body, action, respond, logger }: Args): Promise<void> => {
    await ack();
    const ticketId = parseTicketPublicId(action.value ?? '');
    const reply = (text: string) => answerClicker(respond, logger, { text, blocks: [mrkdwnSection(text)] });
    if (ticketId === undefined) return reply(REPLIES.not_found('', '', ''));
    const { Ticket, Category } = services.db.models;
    let outcome: BookingOutcome;
    try {
      const expertId = await expertIds.add(body.user.id);
      outcome = expertId !== undefined ? await bookTicket(services, { ticketId, expertId }) : (await Ticket.count({ where: { id: ticketId } })) ? 'not_qualified' : 'not_found';
    } catch (err) {
      // The click was acknowledged: the clicker must still hear something.
      logger.error(`booking ${ticketPublicId(ticketId)} failed: ${String(err)}`);
      return reply(`Something went wrong booking *${ticketPublicId(ticketId)}*. Please press Book again.`);
    }
    // Only a refusal names the category; the herd of "already booked" answers reads nothing more.
    const ticket = outcome === 'not_qualified' ? await Ticket.findByPk(ticketId, { attributes: ['categoryId'] }).catch(() => null) : null;
    const category = ticket ? await Category.findByPk(ticket.categoryId, { attributes: ['name'] }).catch(() => null) : null;
    // A suspended expert hears why (their own suspension, in numbers).
    const expert = outcome === 'suspended' ? await services.db.experts.bySlackId(body.user.id).catch(() => undefined) : undefined;
    reply(REPLIES[outcome](ticketPublicId(ticketId), category?.name ?? 'these', expert?.suspensionReason ?? 'score below the threshold'));
    // Pressed on the App Home: the Home shows the outcome (the ticket among theirs, or gone).
    await refreshClickerHome(services, body, logger);
  };
}
