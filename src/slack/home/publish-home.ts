import { ErrorCode, type WebAPICallError } from '@slack/web-api';
import { parsePages } from '../../domain/home/home-data.ts';
import { loadHome } from '../../domain/home/load-home.ts';
import { buildHomeView } from '../blocks/home-view.ts';
import type { SlackContext } from '../slack-context.ts';

/** Slack asked to wait before publishing again. */
export class HomeRateLimitedError extends Error {
  override readonly name = 'HomeRateLimitedError';
  constructor(readonly retryAfterMs: number) {
    super(`views.publish rate-limited: retry after ${retryAfterMs} ms`);
  }
}

/**
 * Publishes one viewer's App Home from the current state, on the pages they chose. Without
 * Slack it does nothing (their Home is published when they next open it). A rate limit is
 * thrown to be retried after Slack's wait; any other refusal is logged and left: the Home is
 * published afresh at the next change or when they open it.
 */
export async function publishHome(ctx: Pick<SlackContext, 'db' | 'now' | 'routing' | 'slack' | 'logger' | 'managerSlackIds'>, viewer: string): Promise<'published' | 'no_slack' | 'refused'> {
  if (!ctx.slack) return 'no_slack';
  const pages = parsePages(await ctx.db.home.pagesOf(viewer));
  const data = await loadHome(ctx, viewer, { managerSlackIds: ctx.managerSlackIds ?? [], pages });
  try {
    await ctx.slack.views.publish({ user_id: viewer, view: buildHomeView(data) });
    return 'published';
  } catch (err) {
    const e = err as WebAPICallError & { retryAfter?: number };
    if (e.code === ErrorCode.RateLimitedError) throw new HomeRateLimitedError((e.retryAfter ?? 1) * 1000);
    if (e.code !== ErrorCode.PlatformError) throw err;
    ctx.logger.warn({ err, viewer }, 'Slack refused to publish an App Home');
    return 'refused';
  }
}
