import type { WebClient } from '@slack/web-api';
import { isTimeZone } from '../domain/experts/availability-rules.ts';
import { loadAvailability } from '../domain/experts/set-working-hours.ts';
import type { Logger } from '../lib/logger.ts';
import { buildAvailabilityModal, type TimeZoneSource } from './blocks/availability-modal.ts';
import type { SlackContext } from './slack-context.ts';

/** How long opening the modal waits for Slack's users.info: the trigger expires 3 s after the click. */
export const TIME_ZONE_WAIT_MS = 1200;

/** What someone who is not an approved expert hears when they ask for the availability modal. */
export const NOT_APPROVED_ANSWER = (command: string) =>
  `Only approved Helpnet experts can set working hours and absences, and you are not one (yet). To apply, use \`${command} join\`; to ask for help, use \`${command}\`.`;

/** The user's Slack time zone (`user.tz`), or null when Slack does not say it within `waitMs` (or says something unknown). */
export async function slackTimeZone(client: WebClient, userId: string, logger: Logger, waitMs = TIME_ZONE_WAIT_MS): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), waitMs);
  });
  const asked = client.users
    .info({ user: userId })
    .then(({ user }) => (typeof user?.tz === 'string' && isTimeZone(user.tz) ? user.tz : null))
    .catch((err: unknown) => {
      logger.warn(`users.info ${userId} for their time zone failed: ${String(err)}`);
      return null;
    });
  try {
    return await Promise.race([asked, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Opens the `expert.availability` modal for an approved expert, in their Slack time zone
 * (asked of Slack while the database is read; if Slack is slow, the zone they last saved
 * in, else UTC, and the modal says so). 'not_approved' opens nothing.
 */
export async function openAvailabilityModal(services: SlackContext, client: WebClient, input: { userId: string; triggerId: string }): Promise<'opened' | 'not_approved'> {
  const zone = slackTimeZone(client, input.userId, services.logger);
  const expert = await services.db.experts.approvedBySlackId(input.userId);
  if (!expert) return 'not_approved';
  const [availability, slackZone] = await Promise.all([loadAvailability(services, expert.id), zone]);
  const source: TimeZoneSource = slackZone ? 'slack' : availability.lastTimeZone ? 'stored' : 'utc';
  const timeZone = slackZone ?? availability.lastTimeZone ?? 'UTC';
  await client.views.open({ trigger_id: input.triggerId, view: buildAvailabilityModal({ timeZone, source, workingHours: availability.workingHours, absences: availability.absences, now: services.now() }) });
  return 'opened';
}
