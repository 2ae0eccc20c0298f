import type { App, BlockButtonAction } from '@slack/bolt';
import type { SlackContext } from '../../slack-context.ts';
import { BOOK_ACTION_ID } from '../../blocks/ticket-card.ts';
import { RELEASE_ACTION_ID, RESOLVE_ACTION_ID } from '../../blocks/expert-thread.ts';
import { REINSTATE_ACTION_ID } from '../../blocks/suspension-alert.ts';
import { CHECK_IN_ACTION_ID, CHECK_OUT_ACTION_ID } from '../../blocks/home-expert.ts';
import { HOME_PAGE_ACTION_IDS } from '../../blocks/home-parts.ts';
import { checkInOutAction, homePageAction } from './home-actions.ts';
import { bookTicketAction } from './book-ticket.ts';
import { reinstateExpertAction } from './reinstate-expert.ts';
import { releaseTicketAction, resolveTicketAction } from './ticket-thread-actions.ts';

/** Every action id a listener answers. */
export const ACTION_IDS = [BOOK_ACTION_ID, RESOLVE_ACTION_ID, RELEASE_ACTION_ID, REINSTATE_ACTION_ID, CHECK_IN_ACTION_ID, CHECK_OUT_ACTION_ID, ...HOME_PAGE_ACTION_IDS];

export function registerActions(app: App, services: SlackContext): void {
  app.action<BlockButtonAction>(BOOK_ACTION_ID, bookTicketAction(services));
  app.action<BlockButtonAction>(RESOLVE_ACTION_ID, resolveTicketAction(services));
  app.action<BlockButtonAction>(RELEASE_ACTION_ID, releaseTicketAction(services));
  app.action<BlockButtonAction>(REINSTATE_ACTION_ID, reinstateExpertAction(services));
  app.action<BlockButtonAction>(CHECK_IN_ACTION_ID, checkInOutAction(services, true));
  app.action<BlockButtonAction>(CHECK_OUT_ACTION_ID, checkInOutAction(services, false));
  for (const id of HOME_PAGE_ACTION_IDS) app.action<BlockButtonAction>(id, homePageAction(services));
}
