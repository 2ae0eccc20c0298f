import type { App, BlockAction, BlockButtonAction } from '@slack/bolt';
import type { SlackContext } from '../../slack-context.ts';
import { BOOK_ACTION_ID } from '../../blocks/ticket-card.ts';
import { RELEASE_ACTION_ID, RESOLVE_ACTION_ID } from '../../blocks/expert-thread.ts';
import { REINSTATE_ACTION_ID } from '../../blocks/suspension-alert.ts';
import { EDIT_AVAILABILITY_ACTION_ID } from '../../blocks/availability-modal.ts';
import { CHECK_IN_ACTION_ID, CHECK_OUT_ACTION_ID } from '../../blocks/home-expert.ts';
import { HOME_PAGE_ACTION_IDS } from '../../blocks/home-parts.ts';
import { checkInOutAction, homePageAction } from './home-actions.ts';
import { bookTicketAction } from './book-ticket.ts';
import { reinstateExpertAction } from './reinstate-expert.ts';
import { editAvailabilityAction } from './edit-availability.ts';
import { releaseTicketAction, resolveTicketAction } from './ticket-thread-actions.ts';
import { APPROVE_ACTION_ID, CATEGORY_ACTION_IDS, GROUPS_ACTION_ID, REJECT_ACTION_ID } from '../../blocks/expert-application.ts';
import { acknowledgeApplicationInput, approveApplicationAction, rejectApplicationAction } from './expert-application-actions.ts';

/** Every action id a listener answers. */
export const ACTION_IDS = [
  BOOK_ACTION_ID,
  RESOLVE_ACTION_ID,
  RELEASE_ACTION_ID,
  REINSTATE_ACTION_ID,
  CHECK_IN_ACTION_ID,
  CHECK_OUT_ACTION_ID,
  ...HOME_PAGE_ACTION_IDS,
  EDIT_AVAILABILITY_ACTION_ID,
  APPROVE_ACTION_ID,
  REJECT_ACTION_ID,
  GROUPS_ACTION_ID,
  ...CATEGORY_ACTION_IDS,
];

export function registerActions(app: App, services: SlackContext): void {
  app.action<BlockButtonAction>(BOOK_ACTION_ID, bookTicketAction(services));
  app.action<BlockButtonAction>(RESOLVE_ACTION_ID, resolveTicketAction(services));
  app.action<BlockButtonAction>(RELEASE_ACTION_ID, releaseTicketAction(services));
  app.action<BlockButtonAction>(REINSTATE_ACTION_ID, reinstateExpertAction(services));
  app.action<BlockButtonAction>(CHECK_IN_ACTION_ID, checkInOutAction(services, true));
  app.action<BlockButtonAction>(CHECK_OUT_ACTION_ID, checkInOutAction(services, false));
  for (const id of HOME_PAGE_ACTION_IDS) app.action<BlockButtonAction>(id, homePageAction(services));
  app.action<BlockButtonAction>(EDIT_AVAILABILITY_ACTION_ID, editAvailabilityAction(services));
  app.action<BlockButtonAction>(APPROVE_ACTION_ID, approveApplicationAction(services));
  app.action<BlockButtonAction>(REJECT_ACTION_ID, rejectApplicationAction(services));
  for (const id of [GROUPS_ACTION_ID, ...CATEGORY_ACTION_IDS]) app.action<BlockAction>(id, acknowledgeApplicationInput);
}
