import type { WebClient } from '@slack/web-api';
import { classifySlackError, PermanentDeliveryError } from './delivery/slack-errors.ts';

/**
 * The names a Slack user goes by — display name, real name, handle — from `users.info`, so
 * their messages can be scrubbed of them too. A user Slack will not describe (not found, a
 * missing scope) has none; a failure that may pass (rate limit, 5xx, network) is thrown as
 * a RetryableDeliveryError for the caller's job to retry.
 */
export async function fetchSlackNames(client: WebClient, userId: string, warn: (msg: string) => void): Promise<string[]> {
  try {
    const { user } = await client.users.info({ user: userId });
    return namesOfSlackUser(user);
  } catch (err) {
    const failure = classifySlackError(err);
    if (!(failure instanceof PermanentDeliveryError)) throw failure;
    warn(`users.info ${userId}: ${failure.slackError}; their Slack names are not scrubbed from their messages`);
    return [];
  }
}

interface SlackUser {
  name?: string;
  real_name?: string;
  profile?: { display_name?: string; real_name?: string };
}

/** Display name, real name and handle of a `users.info` user, those that are set. */
export function namesOfSlackUser(user: SlackUser | undefined): string[] {
  return [user?.profile?.display_name, user?.profile?.real_name, user?.real_name, user?.name].filter((n): n is string => !!n?.trim());
}
