import type { Authorize, AuthorizeResult } from '@slack/bolt';
import type { AuthTestResponse, WebClient } from '@slack/web-api';

/**
 * Single-workspace authorisation that asks Slack who the bot is (auth.test) on first use —
 * or at start, through `warmUp` — and remembers the answer, which `onIdentity` sees once.
 * Unlike Bolt's built-in token mode, a failed auth.test (Slack down at start) is not cached:
 * the next request asks again.
 */
export function createAuthorize(client: WebClient, botToken: string, onIdentity: (answer: AuthTestResponse) => void = () => undefined): Authorize<boolean> & { warmUp(): Promise<void> } {
  let identity: Promise<AuthorizeResult> | undefined;
  const authorize = async () => {
    identity ??= client.auth
      .test({ token: botToken })
      .then((r) => {
        onIdentity(r);
        return r;
      })
      .then((r) => ({
        botToken,
        botId: r.bot_id as string | undefined,
        botUserId: r.user_id as string | undefined,
        teamId: r.team_id as string | undefined,
        enterpriseId: r.enterprise_id as string | undefined,
      }))
      .catch((err: unknown) => {
        identity = undefined;
        throw err;
      });
    return identity;
  };
  return Object.assign(authorize, { warmUp: () => authorize().then(() => undefined) });
}
