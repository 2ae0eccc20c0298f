import type { App } from '@slack/bolt';
import type { SlackContext } from '../../slack-context.ts';
import { TICKET_CREATE_CALLBACK_ID } from '../../blocks/ticket-create-modal.ts';
import { TICKET_RESOLVE_CALLBACK_ID } from '../../blocks/ticket-resolve-modal.ts';
import { ticketCreateSubmission } from './ticket-create.ts';
import { ticketResolveSubmission } from './ticket-resolve.ts';

export function registerViews(app: App, services: SlackContext): void {
  app.view(TICKET_CREATE_CALLBACK_ID, ticketCreateSubmission(services));
  app.view(TICKET_RESOLVE_CALLBACK_ID, ticketResolveSubmission(services));
}
