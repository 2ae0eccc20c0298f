import type { WebClient } from '@slack/web-api';
import type { Logger } from '../../lib/logger.ts';
import { classifySlackError, slackErrorCode } from './slack-errors.ts';

/**
 * Every message Helpnet posts carries its row id in Slack message metadata, so that a post
 * whose answer never arrived (a time-out, a dropped connection, a crash) can be found in
 * Slack before it is posted again: Slack offers no idempotency key of its own.
 */
export const HELPNET_MESSAGE_EVENT = 'helpnet_message';

export function postMetadata(messageId: number) {
  return { event_type: HELPNET_MESSAGE_EVENT, event_payload: { message_id: messageId } };
}

export interface EarlierPostQuery {
  messageId: number;
  /** Where it was posted: a channel or a DM's id as Slack answered an earlier post, or a user id for a DM. */
  channel: string;
  /** The thread it was a reply in. */
  threadTs?: string;
  /** When the first attempt whose answer never came was made: the post cannot be older. */
  since: Date;
}

/** Slack's answers meaning Helpnet may not look there (not that Slack is failing). */
const CANNOT_LOOK = new Set(['missing_scope', 'not_in_channel', 'channel_not_found', 'thread_not_found', 'not_allowed_token_type', 'method_not_supported_for_channel_type', 'access_denied', 'no_permission']);

/** Messages per page, and pages at most: the look starts a minute before the attempt, so a busy channel needs a few pages at most. */
const PAGE = 200;
const PAGES = 5;

/**
 * The Slack message an earlier attempt posted for `messageId`, if Slack has it. Undefined
 * when it does not — or when Helpnet may not look (a public channel it was never invited
 * to, a scope not granted): then the caller posts, and a duplicate is possible, which is
 * logged. A transient failure throws (retried later, without posting meanwhile).
 */
export async function findEarlierPost(slack: WebClient, logger: Logger, q: EarlierPostQuery): Promise<{ ts: string; channel: string } | undefined> {
  try {
    // A DM posted to a user id lives in a conversation with an id of its own, not recorded
    // yet (the post's answer never came): Slack gives it. A reply's thread has it recorded.
    const channel = /^[UW]/.test(q.channel) ? (await slack.conversations.open({ users: q.channel })).channel?.id : q.channel;
    if (!channel) return undefined;
    // A minute early, for clocks that differ.
    const oldest = String(Math.floor(q.since.getTime() / 1000) - 60);
    let cursor: string | undefined;
    for (let page = 0; page < PAGES; page++) {
      const args = { channel, oldest, include_all_metadata: true, limit: PAGE, ...(cursor ? { cursor } : {}) };
      const listed = q.threadTs ? await slack.conversations.replies({ ...args, ts: q.threadTs }) : await slack.conversations.history(args);
      const found = listed.messages?.find((m) => {
        const metadata = m.metadata as { event_type?: string; event_payload?: { message_id?: unknown } } | undefined;
        return metadata?.event_type === HELPNET_MESSAGE_EVENT && Number(metadata.event_payload?.message_id) === q.messageId;
      });
      if (found?.ts) return { ts: found.ts, channel };
      cursor = listed.response_metadata?.next_cursor || undefined;
      if (!cursor) return undefined;
    }
    logger.warn({ messageId: q.messageId, channel: q.channel }, `looked through ${PAGES * PAGE} messages for one whose post went unanswered without finding it; posting it again may show it twice`);
    return undefined;
  } catch (err) {
    const code = slackErrorCode(err);
    if (code && CANNOT_LOOK.has(code)) {
      logger.warn({ messageId: q.messageId, channel: q.channel, error: code }, 'could not check whether Slack already has a message whose post went unanswered; posting it again may show it twice');
      return undefined;
    }
    throw classifySlackError(err);
  }
}
