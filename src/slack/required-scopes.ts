import type { Logger } from '../lib/logger.ts';

/** The bot scopes Helpnet uses (manifest.json asks for exactly these), and what each is for. */
export const SCOPES_USED: Readonly<Record<string, string>> = {
  commands: 'the /helpnet command',
  'chat:write': 'posting tickets, pages and relayed messages',
  'chat:write.public': 'posting to public group channels the bot was not invited to',
  'im:write': 'finding a DM to check whether a post reached it',
  'im:history': 'the messages people write in their DMs with Helpnet',
  'channels:history': 'checking a public channel for a post whose answer was lost, so it is not posted twice',
  'groups:history': 'the same in private channels',
  'users:read': "the Slack names of experts and requesters, scrubbed from what they write; an expert's time zone for their working hours; an applicant's name",
  'users:read.email': "requesters' email addresses, scrubbed from what they write (without it Slack leaves them out, silently); an applicant's email, prefilled",
};

/** The scopes Helpnet uses that `granted` (as Slack lists a token's scopes) lacks. */
export function missingScopes(granted: readonly string[]): string[] {
  return Object.keys(SCOPES_USED).filter((s) => !granted.includes(s));
}

/**
 * Tells the operator, once, which scopes the installed app lacks and what that breaks: an
 * app installed from an older manifest keeps its old scopes until it is updated and
 * reinstalled, and some lacks (users:read.email) fail silently. Slack lists a token's
 * scopes with every Web API answer (`x-oauth-scopes`); nothing is said when it does not.
 */
export function warnOfMissingScopes(granted: readonly string[] | undefined, logger: Logger): void {
  if (!granted) return;
  const missing = missingScopes(granted);
  if (missing.length === 0) return;
  logger.warn(
    { missingScopes: missing },
    `The Slack app has not been granted ${missing.map((s) => `${s} (${SCOPES_USED[s]})`).join('; ')}. Update the app from manifest.json and reinstall it (docs/slack-app.md).`,
  );
}
