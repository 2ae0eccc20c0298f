import type { App } from '@slack/bolt';
import type { JobContext } from '../../../jobs/define-job.ts';
import { directMessageListener } from './direct-message.ts';

export function registerEvents(app: App, services: JobContext): void {
  app.event('message', directMessageListener(services));
}
