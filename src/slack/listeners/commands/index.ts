import type { App } from '@slack/bolt';
import { helpnetCommand } from './helpnet-command.ts';

export function registerCommands(app: App): void {
  app.command('/helpnet', helpnetCommand);
}
