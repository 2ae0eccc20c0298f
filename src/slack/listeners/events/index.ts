import type { App } from '@slack/bolt';
import type { SlackContext } from '../../slack-context.ts';
import { directMessageListener } from './direct-message.ts';

export function registerEvents(app: App, services: SlackContext): void {
  app.event('message', directMessageListener(services));
}
