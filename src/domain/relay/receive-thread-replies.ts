import type { Transaction } from 'sequelize';
import type { DomainContext } from '../domain-context.ts';
import { receiveMessages, type ReceiveOutcome, type Sender } from './receive-message.ts';

/** Where someone wrote: a reply in a thread (its parent's ts) of a conversation, or a message outside any thread. */
export interface ThreadPlace {
  /** The conversation: for a DM with the bot, the DM's own id. */
  channel: string;
  threadTs?: string;
  /** The writer's Slack user id. */
  writer: string;
}

export interface ThreadReply extends ThreadPlace {
  /** What they wrote, as plain text. */
  body: string;
  /** Its identity where it was written: a repeat of it is stored once. */
  sourceKey: string;
}

/** Who writes in a ticket thread: a side of its ticket; nobody (not a ticket thread); or someone it is not for. */
export type ThreadWriter = { threadId: number; ticketId: number; from: Sender } | { outsideThread: true } | { notYours: true; threadId: number };

export type ThreadReplyOutcome = { outcome: 'outside_thread' } | { outcome: 'not_yours'; threadId: number } | (ReceiveOutcome & { threadId: number; ticketId: number });

/**
 * Who may write in each thread, decided here once: in an expert's booking thread, the expert
 * it was opened for, writing under the alias of that booking; in a Slack requester's ticket
 * thread, the ticket's customer. Anyone else is refused. Two reads for all of them.
 */
export async function whoWritesInThreads(ctx: Pick<DomainContext, 'db'>, transaction: Transaction, places: readonly ThreadPlace[]): Promise<ThreadWriter[]> {
  const threads = await ctx.db.slackMessages.ticketThreadsByTs(places.flatMap((p) => (p.threadTs ? [p.threadTs] : [])), { transaction });
  if (threads.length === 0) return places.map(() => ({ outsideThread: true }));
  const experts = await ctx.db.experts.idsBySlackIds(places.map((p) => p.writer), { transaction });
  return places.map((p): ThreadWriter => {
    // A ts is unique only within its conversation, which Slack named when it answered the post.
    const thread = threads.find((t) => t.ts === p.threadTs && t.channel === p.channel);
    if (!thread?.ticketId) return { outsideThread: true };
    const found = { threadId: thread.id, ticketId: thread.ticketId };
    if (thread.purpose === 'expert_thread') {
      const expertId = experts.get(p.writer);
      if (expertId === undefined || expertId !== thread.expertId) return { notYours: true, threadId: thread.id };
      return { ...found, from: { side: 'expert', expertId, aliasId: thread.aliasId ?? 0 } };
    }
    if (thread.customerSlackUserId !== p.writer) return { notYours: true, threadId: thread.id };
    return { ...found, from: { side: 'customer' } };
  });
}

/**
 * Replies written in Slack threads (a burst of them, in order): each is taken in as its
 * writer's side of the thread's ticket — stored, scrubbed and queued for the other side by
 * receiveMessages, in the caller's transaction — or refused when the writer is not the one
 * the thread is for. A fixed number of statements however many there are.
 */
export async function receiveThreadReplies(ctx: DomainContext, transaction: Transaction, replies: readonly ThreadReply[]): Promise<ThreadReplyOutcome[]> {
  const writers = await whoWritesInThreads(ctx, transaction, replies);
  const taken = replies.flatMap((reply, i) => {
    const w = writers[i]!;
    return 'from' in w ? [{ index: i, writer: w, input: { ticketId: w.ticketId, from: w.from, body: reply.body, via: 'slack' as const, sourceKey: reply.sourceKey } }] : [];
  });
  const results = await receiveMessages(ctx, transaction, taken.map((t) => t.input));
  const outcomes: ThreadReplyOutcome[] = writers.map((w) => ('outsideThread' in w ? { outcome: 'outside_thread' } : { outcome: 'not_yours', threadId: w.threadId }));
  taken.forEach((t, i) => (outcomes[t.index] = { ...results[i]!, threadId: t.writer.threadId, ticketId: t.writer.ticketId }));
  return outcomes;
}
