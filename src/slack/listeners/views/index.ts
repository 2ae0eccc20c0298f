import type { App } from '@slack/bolt';
import type { JobContext } from '../../../jobs/define-job.ts';
import { TICKET_CREATE_CALLBACK_ID } from '../../blocks/ticket-create-modal.ts';
import { ticketCreateSubmission } from './ticket-create.ts';

export function registerViews(app: App, services: JobContext): void {
  app.view(TICKET_CREATE_CALLBACK_ID, ticketCreateSubmission(services));
}
