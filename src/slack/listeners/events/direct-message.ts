import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { SlackContext } from '../../slack-context.ts';
import { KeyedSerialQueue } from '../../../lib/keyed-serial-queue.ts';
import { RELAY_NOTICES } from '../../blocks/relay-notices.ts';
import { receiveDirectMessage, receiveDirectMessageChange, type DirectMessageChange } from '../../inbound/receive-direct-message.ts';

type Args = SlackEventMiddlewareArgs<'message'> & AllMiddlewareArgs;

/**
 * `message.im`: someone wrote in their DM with the bot. Only messages people typed count
 * (with or without files); bot messages are ignored, and edits and deletions are not
 * relayed, but the writer is told so. Slack hears back once the event is stored (see
 * create-slack-app.ts); the work is a few rows and queued deliveries. New messages are
 * stored in arrival order by one writer at a time (see receiveDirectMessage).
 */
export function directMessageListener(services: SlackContext) {
  // The next change of the same conversation can arrive while this one is being stored:
  // one at a time per DM keeps their notices in order.
  const perConversation = new KeyedSerialQueue();
  return async ({ event, body, client, logger }: Args): Promise<void> => {
    if (event.channel_type !== 'im') return;
    if (event.subtype === 'message_changed' || event.subtype === 'message_deleted') {
      const change = personChange(event);
      if (change) {
        const outcome = await perConversation.run(event.channel, () => receiveDirectMessageChange(services, { eventId: body.event_id, channel: event.channel, ...change }));
        logger.debug(`direct message change ${body.event_id}: ${outcome}`);
      }
      return;
    }
    // A reply also sent to the channel ("Also send to …") is still a reply.
    if (event.subtype !== undefined && event.subtype !== 'file_share' && event.subtype !== 'thread_broadcast') return;
    if (!('user' in event) || typeof event.user !== 'string' || ('bot_id' in event && event.bot_id)) return;
    const threadTs = 'thread_ts' in event && typeof event.thread_ts === 'string' ? event.thread_ts : undefined;
    try {
      const outcome = await receiveDirectMessage(services, {
        eventId: body.event_id,
        channel: event.channel,
        user: event.user as string,
        text: typeof event.text === 'string' ? event.text : '',
        threadTs,
        hasFiles: event.subtype === 'file_share' || ('files' in event && Array.isArray(event.files) && event.files.length > 0),
      });
      logger.debug(`direct message ${body.event_id}: ${outcome}`);
    } catch (err) {
      // Slack will not be asked to send it again (a retry would fail the same way while the
      // writer waited without knowing): the writer is told this message did not go through.
      logger.error(`direct message ${body.event_id} could not be taken in: ${String(err)}`);
      await client.chat
        .postMessage({ channel: event.channel, ...(threadTs ? { thread_ts: threadTs } : {}), text: RELAY_NOTICES.notTakenIn })
        .catch((e: unknown) => logger.error(`could not tell the writer either: ${String(e)}`));
    }
  };
}

interface ChangedMessage {
  user?: string;
  bot_id?: string;
  text?: string;
  thread_ts?: string;
  ts?: string;
}

/**
 * A person's own reply edited or deleted. Slack also sends `message_changed` when it adds
 * link previews (same text) and when the bot updates its own messages: those are not edits.
 */
export function personChange(event: { subtype?: string; message?: unknown; previous_message?: unknown }): Omit<DirectMessageChange, 'eventId' | 'channel'> | undefined {
  const before = (event.previous_message ?? {}) as ChangedMessage;
  const after = (event.message ?? {}) as ChangedMessage;
  const who = event.subtype === 'message_deleted' ? before : after;
  if (typeof who.user !== 'string' || who.bot_id) return undefined;
  if (!who.thread_ts || who.thread_ts === who.ts) return undefined; // not a reply in a thread
  if (event.subtype === 'message_changed' && (after.text ?? '') === (before.text ?? '')) return undefined;
  return { user: who.user, threadTs: who.thread_ts, kind: event.subtype === 'message_deleted' ? 'deleted' : 'edited' };
}
