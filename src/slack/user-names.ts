import type { WebClient } from '@slack/web-api';
import { classifySlackError, isSlackRefusal, slackErrorCode } from './delivery/slack-errors.ts';

/** What Slack says of a user that they might sign a message with. */
export interface SlackProfile {
  /** The name to store for them: their real name, else their handle. */
  name: string | null;
  /** Display name, real name and handle, those that are set. */
  names: string[];
  /** Only with the `users:read.email` scope; null without it or when not set. */
  email: string | null;
  phone: string | null;
}

/**
 * A Slack user's profile from `users.info`, so their messages can be scrubbed of their
 * names, email and phone too. A user Slack will not describe (not found, a missing scope)
 * has none: null, with a warning; a failure that may pass (rate limit, 5xx, network) is
 * thrown as a RetryableDeliveryError for the caller's job to retry.
 */
export async function fetchSlackProfile(client: WebClient, userId: string, warn: (msg: string) => void): Promise<SlackProfile | null> {
  try {
    const { user } = await client.users.info({ user: userId });
    return profileOfSlackUser(user);
  } catch (err) {
    // A refusal — the user gone, or a scope (users:read) or token Slack will not accept —
    // is done without: what waits on this (a booking, a ticket's dispatch) must not wait
    // for an operator. Only what may pass by itself is retried.
    if (!isSlackRefusal(err)) throw classifySlackError(err);
    warn(`users.info ${userId}: ${slackErrorCode(err)}; their Slack profile is not scrubbed from their messages`);
    return null;
  }
}

/** The names a Slack user goes by (see fetchSlackProfile); none if Slack will not describe them. */
export async function fetchSlackNames(client: WebClient, userId: string, warn: (msg: string) => void): Promise<string[]> {
  return (await fetchSlackProfile(client, userId, warn))?.names ?? [];
}

interface SlackUser {
  name?: string;
  real_name?: string;
  profile?: { display_name?: string; real_name?: string; email?: string; phone?: string };
}

const present = (s: string | undefined) => (s?.trim() ? s.trim() : null);

/** A `users.info` user's profile: what is set of it. */
export function profileOfSlackUser(user: SlackUser | undefined): SlackProfile {
  return {
    name: present(user?.real_name) ?? present(user?.name),
    names: namesOfSlackUser(user),
    email: present(user?.profile?.email),
    phone: present(user?.profile?.phone),
  };
}

/** Display name, real name and handle of a `users.info` user, those that are set. */
export function namesOfSlackUser(user: SlackUser | undefined): string[] {
  return [user?.profile?.display_name, user?.profile?.real_name, user?.real_name, user?.name].filter((n): n is string => !!n?.trim());
}
