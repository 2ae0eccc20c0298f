import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { JobContext } from '../../../jobs/define-job.ts';
import { KeyedSerialQueue } from '../../../lib/keyed-serial-queue.ts';
import { receiveDirectMessage } from '../../inbound/receive-direct-message.ts';

type Args = SlackEventMiddlewareArgs<'message'> & AllMiddlewareArgs;

/**
 * `message.im`: someone wrote in their DM with the bot. Only messages people typed count
 * (with or without files); edits, deletions and bot messages are not relayed. Bolt has
 * already acknowledged the event; the work is a few rows and queued deliveries.
 */
export function directMessageListener(services: JobContext) {
  // Bolt acknowledges an event before its listener runs, so the next message of the same
  // conversation can arrive while this one is being stored: one at a time per DM keeps order.
  const perConversation = new KeyedSerialQueue();
  return async ({ event, body, logger }: Args): Promise<void> => {
    if (event.channel_type !== 'im') return;
    if (event.subtype !== undefined && event.subtype !== 'file_share') return;
    if (!('user' in event) || typeof event.user !== 'string' || ('bot_id' in event && event.bot_id)) return;
    const outcome = await perConversation.run(event.channel, () => receiveDirectMessage(services, {
      eventId: body.event_id,
      channel: event.channel,
      user: event.user,
      text: typeof event.text === 'string' ? event.text : '',
      threadTs: 'thread_ts' in event && typeof event.thread_ts === 'string' ? event.thread_ts : undefined,
      hasFiles: event.subtype === 'file_share',
    }));
    logger.debug(`direct message ${body.event_id}: ${outcome}`);
  };
}
