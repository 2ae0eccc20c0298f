import type { App } from '@slack/bolt';
import type { JobContext } from '../../../jobs/define-job.ts';
import { helpnetCommand } from './helpnet-command.ts';

export function registerCommands(app: App, services: JobContext): void {
  app.command('/helpnet', helpnetCommand(services));
}
