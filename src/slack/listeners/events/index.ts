import type { App } from '@slack/bolt';
import type { SlackContext } from '../../slack-context.ts';
import { directMessageListener } from './direct-message.ts';
import { appHomeOpenedListener } from './app-home-opened.ts';

export function registerEvents(app: App, services: SlackContext): void {
  app.event('message', directMessageListener(services));
  app.event('app_home_opened', appHomeOpenedListener(services));
}
