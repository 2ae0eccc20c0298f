import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { SLACK_USER_ID } from '../../../domain/home/home-data.ts';
import { openHome } from '../../../domain/home/refresh-homes.ts';
import type { SlackContext } from '../../slack-context.ts';

type Args = SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs;

/**
 * `app_home_opened` on the Home tab: the viewer's Home is published from the current state
 * (a job, run at once) and they are recorded as looking at it, so that for the next hour it
 * also follows the tickets they could book. The event is answered once that is stored.
 */
export function appHomeOpenedListener(services: SlackContext) {
  return async ({ event, logger }: Args): Promise<void> => {
    if (event.tab !== 'home' || typeof event.user !== 'string' || !SLACK_USER_ID.test(event.user)) return;
    try {
      await openHome(services, event.user);
    } catch (err) {
      logger.error(`could not publish the App Home of ${event.user}: ${String(err)}`);
    }
  };
}
