import type { App } from '@slack/bolt';
import type { SlackContext } from '../../slack-context.ts';
import { helpnetCommand } from './helpnet-command.ts';

/** Every slash command a listener answers. */
export const COMMANDS = ['/helpnet'];

export function registerCommands(app: App, services: SlackContext): void {
  app.command('/helpnet', helpnetCommand(services));
}
