import type { App } from '@slack/bolt';
import type { SlackContext } from '../../slack-context.ts';
import { TICKET_CREATE_CALLBACK_ID } from '../../blocks/ticket-create-modal.ts';
import { TICKET_RESOLVE_CALLBACK_ID } from '../../blocks/ticket-resolve-modal.ts';
import { AVAILABILITY_CALLBACK_ID } from '../../blocks/availability-modal.ts';
import { ticketCreateSubmission } from './ticket-create.ts';
import { ticketResolveSubmission } from './ticket-resolve.ts';
import { availabilitySubmission } from './availability-submission.ts';
import { EXPERT_SIGNUP_CALLBACK_ID } from '../../blocks/expert-signup-modal.ts';
import { EXPERT_REJECT_CALLBACK_ID } from '../../blocks/expert-reject-modal.ts';
import { expertSignupSubmission } from './expert-signup.ts';
import { expertRejectSubmission } from './expert-reject.ts';

/** Every view callback id a listener answers. */
export const VIEW_CALLBACK_IDS = [TICKET_CREATE_CALLBACK_ID, TICKET_RESOLVE_CALLBACK_ID];
VIEW_CALLBACK_IDS.push(AVAILABILITY_CALLBACK_ID);
VIEW_CALLBACK_IDS.push(EXPERT_SIGNUP_CALLBACK_ID, EXPERT_REJECT_CALLBACK_ID);

export function registerViews(app: App, services: SlackContext): void {
  app.view(TICKET_CREATE_CALLBACK_ID, ticketCreateSubmission(services));
  app.view(TICKET_RESOLVE_CALLBACK_ID, ticketResolveSubmission(services));
  app.view(AVAILABILITY_CALLBACK_ID, availabilitySubmission(services));
  app.view(EXPERT_SIGNUP_CALLBACK_ID, expertSignupSubmission(services));
  app.view(EXPERT_REJECT_CALLBACK_ID, expertRejectSubmission(services));
}
