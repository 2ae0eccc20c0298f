import type { App, BlockButtonAction } from '@slack/bolt';
import type { JobContext } from '../../../jobs/define-job.ts';
import { BOOK_ACTION_ID } from '../../blocks/ticket-card.ts';
import { bookTicketAction } from './book-ticket.ts';

export function registerActions(app: App, services: JobContext): void {
  app.action<BlockButtonAction>(BOOK_ACTION_ID, bookTicketAction(services));
}
