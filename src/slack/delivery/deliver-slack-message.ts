import { ErrorCode, type WebClient } from '@slack/web-api';
import type { Transaction } from 'sequelize';
import { THREAD_REPLY_PURPOSES, type SlackMessageRow } from '../../db/repositories/slack-messages.ts';
import { WORK } from '../../domain/domain-context.ts';
import type { SlackContext } from '../slack-context.ts';
import { renderSlackMessage } from '../presenters/render-slack-message.ts';
import { NotReadyError } from '../../lib/not-ready-error.ts';
import { ticketPublicId } from '../../domain/tickets/ticket-public-id.ts';
import { classifySlackError, PermanentDeliveryError, SlackNotConfiguredError, slackErrorCode } from './slack-errors.ts';
import { findEarlierPost, postMetadata } from './find-earlier-post.ts';

/**
 * Posts a recorded message once. A message that already has its Slack `ts` is not posted
 * again. Transient failures throw RetryableDeliveryError (the job retries, honouring
 * Retry-After); a refusal retrying cannot fix marks the message failed and tells the
 * managers, unless it was the managers' alert itself. Relayed messages go through their
 * thread, in order (see postThreadReplies).
 */
export async function postSlackMessage(ctx: SlackContext, messageId: number): Promise<void> {
  const message = await findMessage(ctx, messageId);
  if (!message || message.status !== 'pending' || message.ts) return;
  if (inThread(message)) return postThreadReplies(ctx, message.threadOf!);
  await postOne(ctx, message);
  // Replies written while this (a ticket thread's parent) waited to be posted follow it now,
  // rather than when their own retries come round; those retries remain the fallback.
  if (message.purpose === 'expert_thread' || message.purpose === 'requester_confirmation') {
    await postThreadReplies(ctx, message.id).catch((err: unknown) => ctx.logger.debug({ err, messageId }, 'replies left to their own jobs'));
  }
}

const inThread = (message: SlackMessageRow) => !!message.threadOf && (THREAD_REPLY_PURPOSES as readonly string[]).includes(message.purpose);

/**
 * How long one worker may hold a thread to post its replies; a crashed holder's hold runs
 * out. Renewed before a post once a quarter is gone, so that every post — up to three Slack
 * calls of at most 10 s each (a look for an earlier attempt, then the post) — ends well
 * before the lease could.
 */
const THREAD_LEASE_MS = 60_000;
const RENEW_WITH_LESS_THAN_MS = 45_000;

/**
 * Posts a thread's waiting replies in the order they were written. One worker at a time
 * holds the thread (a lease on its parent row) and posts every waiting reply, then looks
 * once more after letting go, so a reply written meanwhile is not stranded. A worker that
 * finds the thread held tries again shortly; by then its reply has usually been posted.
 */
async function postThreadReplies(ctx: SlackContext, parentId: number): Promise<void> {
  const { slackMessages } = ctx.db;
  for (;;) {
    const parent = await findMessage(ctx, parentId);
    if (!parent) return;
    if (parent.status === 'failed') return abandonReplies(ctx, parentId);
    if (!parent.ts) throw new NotReadyError('the thread is not posted yet', 250);
    if ((await slackMessages.pendingReplies(parentId)).length === 0) return;
    let lease = await slackMessages.takeRepliesLease(parentId, THREAD_LEASE_MS);
    if (!lease) throw new NotReadyError('another worker is posting this thread', 250);
    try {
      // A failure stops here: the replies after it wait, so they never overtake it.
      for (const reply of await slackMessages.pendingReplies(parentId)) {
        // So that no second worker posts the same replies (see THREAD_LEASE_MS); a lease lost
        // all the same stops this one.
        if (lease.getTime() - Date.now() < RENEW_WITH_LESS_THAN_MS) lease = await slackMessages.renewRepliesLease(parentId, lease, THREAD_LEASE_MS);
        if (!lease) throw new NotReadyError('another worker took over this thread', 250);
        await postOne(ctx, reply, parent);
      }
    } finally {
      if (lease) await slackMessages.dropRepliesLease(parentId, lease);
    }
  }
}

async function postOne(ctx: SlackContext, message: SlackMessageRow, parent?: SlackMessageRow): Promise<void> {
  const { slackMessages } = ctx.db;
  if (!ctx.slack) throw new SlackNotConfiguredError();
  if (message.threadOf && !parent) {
    parent = await findMessage(ctx, message.threadOf);
    if (parent?.status === 'failed') return abandonReplies(ctx, parent.id);
    if (!parent?.ts) throw new NotReadyError('the thread is not posted yet', 250);
  }
  // A reply goes to the conversation its thread was posted in, as Slack named it.
  const channel = parent?.channel ?? message.channel;
  const sent = (ts: string, postedIn: string) => slackMessages.markSent(message.id, { ts, channel: postedIn }, ctx.now());
  if (message.postUnconfirmedAt) {
    // An earlier attempt went out and its answer never came: Slack may have it already.
    const earlier = await findEarlierPost(ctx.slack, ctx.logger, { messageId: message.id, channel, threadTs: parent?.ts ?? undefined, since: message.postUnconfirmedAt });
    if (earlier) {
      await sent(earlier.ts, earlier.channel);
      return;
    }
  }
  const content = await renderSlackMessage(ctx, message);
  // Marked before it goes out: should the answer never come, the next attempt looks first,
  // from the first attempt whose answer did not come.
  const marked = { postUnconfirmedAt: message.postUnconfirmedAt ?? ctx.now(), attempts: message.attempts + 1 };
  if ((await slackMessages.markPostGoingOut(message.id, marked)) === 0) return; // posted meanwhile
  let res: Awaited<ReturnType<WebClient['chat']['postMessage']>>;
  try {
    res = await ctx.slack.chat.postMessage({
      channel,
      text: content.text,
      ...(content.blocks ? { blocks: content.blocks } : {}),
      ...(parent?.ts ? { thread_ts: parent.ts } : {}),
      metadata: postMetadata(message.id),
      unfurl_links: false,
      unfurl_media: false,
    });
  } catch (err) {
    const failure = classifySlackError(err);
    // Only an answer from Slack says the message was not posted; a time-out or a lost connection does not.
    const answered = (err as { code?: string }).code === ErrorCode.RateLimitedError || slackErrorCode(err) !== undefined;
    await slackMessages.recordPostFailure(message.id, failure.message, answered);
    if (failure instanceof PermanentDeliveryError) await giveUp(ctx, message.id, failure);
    throw failure;
  }
  // A DM addressed to a user id lives in a conversation with its own id, which Slack answers
  // with: it is recorded, and the thread's replies, updates and look-ups use it.
  await sent(res.ts!, res.channel ?? channel);
}

const findMessage = (ctx: SlackContext, id: number) => ctx.db.slackMessages.byId(id);

/**
 * Re-renders a sent message from the current state. A message still being posted may have
 * been rendered before the change, so the update waits for the post (retrying) rather than
 * being dropped; a message that could not be posted needs nothing.
 */
export async function updateSlackMessage(ctx: SlackContext, messageId: number): Promise<void> {
  const message = await findMessage(ctx, messageId);
  if (!message || message.status === 'failed') return;
  if (message.status === 'pending' || !message.ts) throw new NotReadyError('the message is not posted yet', 500);
  if (!ctx.slack) throw new SlackNotConfiguredError();
  const content = await renderSlackMessage(ctx, message);
  try {
    await ctx.slack.chat.update({ channel: message.channel, ts: message.ts, text: content.text, ...(content.blocks ? { blocks: content.blocks } : {}) });
  } catch (err) {
    const failure = classifySlackError(err);
    if (failure instanceof PermanentDeliveryError) {
      ctx.logger.warn({ messageId, error: failure.slackError }, 'Slack refused to update a message; leaving it as it is');
      return;
    }
    throw failure;
  }
}

async function giveUp(ctx: SlackContext, messageId: number, failure: PermanentDeliveryError): Promise<void> {
  const { SlackMessage } = ctx.db.models;
  await ctx.db.unitOfWork(async (transaction) => {
    const message = await SlackMessage.findByPk(messageId, { transaction });
    if (!message || message.status !== 'pending') return;
    await message.update({ status: 'failed' }, { transaction });
    ctx.logger.error({ messageId, channel: message.channel, purpose: message.purpose, error: failure.slackError }, 'Slack message could not be delivered');
    if (message.purpose === 'delivery_alert' || message.channel === ctx.routing.managersChannel) return;
    // Managers are told which expert or channel did not get a message, but never who a customer is.
    const toCustomer = await isCustomerChannel(ctx, message, transaction);
    const what = toCustomer ? `a message to the requester of ${ticketPublicId(message.ticketId!)}` : message.purpose === 'page' ? 'a page' : 'a ticket message';
    const alert = await SlackMessage.create(
      {
        ticketId: message.ticketId,
        purpose: 'delivery_alert',
        channel: ctx.routing.managersChannel,
        expertId: null,
        details: JSON.stringify({ channel: toCustomer ? '' : message.channel, what, error: failure.slackError }),
      },
      { transaction },
    );
    await ctx.outbox.add(transaction, WORK.slackPost, { messageId: alert.id });
  });
}

/**
 * A thread Slack refused for good (managers were told) can take no replies: they are
 * recorded as failed instead of waiting for it forever. The transcript keeps them.
 */
async function abandonReplies(ctx: SlackContext, parentId: number): Promise<void> {
  const count = await ctx.db.slackMessages.failPendingReplies(parentId);
  if (count > 0) ctx.logger.warn({ parentId, count }, 'replies dropped: their thread could not be posted');
}

/**
 * True when a message goes to the Slack DM of the customer of its ticket: addressed to
 * their user id, or to the DM their ticket thread was posted in (as Slack named it).
 */
async function isCustomerChannel(ctx: SlackContext, message: SlackMessageRow, transaction: Transaction): Promise<boolean> {
  if (!message.ticketId) return false;
  const ticket = await ctx.db.models.Ticket.findByPk(message.ticketId, { attributes: ['customerId'], transaction });
  const customer = ticket ? await ctx.db.models.Customer.findByPk(ticket.customerId, { attributes: ['slackUserId'], transaction }) : null;
  const user = customer?.slackUserId;
  if (!user) return false;
  return message.channel === user || message.channel === (await ctx.db.slackMessages.requesterDmChannel(message.ticketId, { transaction }));
}
