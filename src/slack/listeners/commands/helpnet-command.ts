import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { Op } from 'sequelize';
import { setAvailability } from '../../../domain/experts/set-availability.ts';
import { ticketPublicId } from '../../../domain/tickets/ticket-public-id.ts';
import { answerClicker } from '../../answer-clicker.ts';
import type { SlackContext } from '../../slack-context.ts';
import { escapeMrkdwn } from '../../../lib/mrkdwn.ts';
import { buildStatusMessage } from '../../blocks/status-message.ts';
import { buildTicketCreateModal } from '../../blocks/ticket-create-modal.ts';
import { buildUsageMessage } from '../../blocks/usage-message.ts';
import { mrkdwnSection } from '../../blocks/text.ts';
import { NOT_APPROVED_ANSWER, openAvailabilityModal } from '../../open-availability-modal.ts';
import { joinCommand } from './join-command.ts';

type Args = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

/** What `/helpnet available` and `/helpnet away` answer (ephemerally). */
export const AVAILABILITY_ANSWERS = {
  checkedIn: 'You are checked in: you will be paged for new tickets of your categories in your groups. Use `/helpnet away` to stop.',
  checkedOut: 'You are checked out: you will not be paged; you can still book from the channel. Use `/helpnet available` to be paged again.',
  suspended: 'Your expert status is suspended for now, though: you will not be paged until a Helpnet manager reinstates you.',
  notExpert: (command: string) => `Only Helpnet experts can check in or out, and you are not one. To ask for help, use \`${command}\` to file a ticket.`,
  notApprovedYet: 'Your application to join Helpnet\'s experts has not been approved yet: you can check in or out once a manager approves it. Nothing was changed.',
};

/** An expert checks in (`available`) or out (`away`): the same use case as the operators' `experts check-in|check-out`. */
async function availabilityAnswer(services: SlackContext, slackUserId: string, checkedIn: boolean, command: string): Promise<string> {
  const expert = await services.db.experts.bySlackId(slackUserId);
  if (!expert) return AVAILABILITY_ANSWERS.notExpert(command);
  // An applicant has an expert row but no approved category yet: nothing to check in to.
  if (!(await services.db.experts.approvedById(expert.id))) return AVAILABILITY_ANSWERS.notApprovedYet;
  const result = await setAvailability(services, expert.id, checkedIn);
  if (result.outcome === 'not_found') return AVAILABILITY_ANSWERS.notExpert(command);
  if (result.outcome === 'checked_out') return AVAILABILITY_ANSWERS.checkedOut;
  return result.suspended ? `${AVAILABILITY_ANSWERS.checkedIn} ${AVAILABILITY_ANSWERS.suspended}` : AVAILABILITY_ANSWERS.checkedIn;
}

/**
 * `/helpnet` (or `/helpnet help`) opens the ticket modal; `status` lists the caller's open
 * tickets; `available` and `away` check an expert in or out; `join` opens the expert
 * application; anything else explains.
 */
export function helpnetCommand(services: SlackContext) {
  return async ({ command, ack, client, logger, respond }: Args): Promise<void> => {
    const sub = command.text.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
    if (sub === '' || sub === 'help' || sub === 'new') {
      const categories = await services.db.models.Category.findAll({ where: { active: true }, order: [['name', 'ASC']], attributes: ['key', 'name'] });
      if (categories.length === 0) {
        await ack({ response_type: 'ephemeral', text: 'Helpnet has no categories to file tickets under yet. Please tell your Helpnet managers.' });
        return;
      }
      await ack();
      try {
        await client.views.open({ trigger_id: command.trigger_id, view: buildTicketCreateModal(categories) });
      } catch (err) {
        logger.error(err);
      }
      return;
    }
    if (sub === 'status') {
      const { Customer, Ticket, Category } = services.db.models;
      const customer = await Customer.findOne({ where: { slackUserId: command.user_id } });
      const tickets = customer
        ? await Ticket.findAll({ where: { customerId: customer.id, status: { [Op.notIn]: ['closed', 'cancelled'] } }, order: [['id', 'DESC']] })
        : [];
      const categories = new Map((await Category.findAll({ attributes: ['id', 'name'] })).map((c) => [c.id, c.name]));
      await ack({
        response_type: 'ephemeral',
        ...buildStatusMessage(tickets.map((t) => ({ publicId: ticketPublicId(t.id), categoryName: categories.get(t.categoryId) ?? '', status: t.status, filedAt: t.createdAt }))),
      });
      return;
    }
    if (sub === 'available' || sub === 'away') {
      // Acknowledged first: the write must not make the command miss Slack's 3 seconds.
      // The answer goes to the caller only, through the command's response_url.
      await ack();
      let text: string;
      try {
        text = await availabilityAnswer(services, command.user_id, sub === 'available', command.command);
      } catch (err) {
        logger.error(`/helpnet ${sub} for ${command.user_id} failed: ${String(err)}`);
        text = `Something went wrong, so your availability may not have changed. Please try \`${command.command} ${sub}\` again.`;
      }
      answerClicker(respond, logger, { text, blocks: [mrkdwnSection(text)] });
      return;
    }
    if (sub === 'hours') {
      // Acknowledged first; the modal opens with the trigger (3 s), or the caller hears why not.
      await ack();
      const say = (text: string) => answerClicker(respond, logger, { text, blocks: [mrkdwnSection(text)] });
      try {
        if ((await openAvailabilityModal(services, client, { userId: command.user_id, triggerId: command.trigger_id })) === 'not_approved') say(NOT_APPROVED_ANSWER(command.command));
      } catch (err) {
        logger.error(`/helpnet hours for ${command.user_id} failed: ${String(err)}`);
        say(`Something went wrong opening your working hours. Please try \`${command.command} hours\` again.`);
      }
      return;
    }
    if (sub === 'join') return joinCommand(services, { command, ack, client, logger, respond });
    const usage = buildUsageMessage(command.command);
    const text = `I do not know \`${escapeMrkdwn(sub.slice(0, 50))}\`.\n${usage.text}`;
    await ack({ response_type: 'ephemeral', text, blocks: [mrkdwnSection(text)] });
  };
}
