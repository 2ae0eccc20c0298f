import type { Attributes } from 'sequelize';
import { dropLease, renewLease, takeLease } from '../lease.ts';
import type { Models } from '../models/index.ts';
import type { SlackMessage } from '../models/slack-message.ts';
import { Sql } from '../sql.ts';
import type { InTransaction } from './in-transaction.ts';

export type SlackMessageRow = Attributes<SlackMessage>;

/** A ticket thread in a DM (an expert's booking thread or a requester's confirmation), with who may write in it. */
export interface TicketThreadRow {
  id: number;
  ts: string;
  /** The DM's own id, as Slack answered the post. */
  channel: string;
  ticketId: number | null;
  purpose: 'expert_thread' | 'requester_confirmation';
  expertId: number | null;
  aliasId: number | null;
  /** The Slack user of the ticket's customer. */
  customerSlackUserId: string | null;
}

/** Helpnet's own answer in a DM (a hint, or a notice in a ticket thread): text written by Helpnet. */
export interface NoticeToPost {
  channel: string;
  text: string;
  threadOf: number | null;
}

/** A message to post: where, about what, and (for a reply) under which thread. */
export type NewSlackMessage = Pick<SlackMessageRow, 'ticketId' | 'purpose' | 'channel' | 'expertId'> & Partial<Pick<SlackMessageRow, 'tier' | 'details' | 'threadOf' | 'ticketMessageId' | 'aliasId'>>;

/** The replies in a ticket thread: relayed messages and Helpnet's notices, posted in the order written. */
export const THREAD_REPLY_PURPOSES = ['relay', 'notice'] as const;

/** Slack messages: what Helpnet posts, their threads, and the state of each post. */
export function slackMessagesRepository(sql: Sql, { SlackMessage }: Pick<Models, 'SlackMessage'>) {
  return {
    byId(id: number, opts: InTransaction = {}): Promise<SlackMessageRow | undefined> {
      return sql.selectOne(SlackMessage, 'id = ?', [id], opts);
    },

    /** A thread's replies still waiting to be posted, oldest first. */
    pendingReplies(parentId: number): Promise<SlackMessageRow[]> {
      return sql.select(SlackMessage, `thread_of = ? AND purpose IN (${Sql.list(THREAD_REPLY_PURPOSES.length)}) AND status = 'pending' ORDER BY id ASC`, [parentId, ...THREAD_REPLY_PURPOSES]);
    },

    /** Records the post Slack answered (`channel` is where it landed: for a DM, the conversation's own id); only once. */
    markSent(id: number, posted: { ts: string; channel: string }, now: Date): Promise<number> {
      // Conditional, so a concurrent duplicate run cannot overwrite the first ts.
      return sql.update(SlackMessage, { ts: posted.ts, channel: posted.channel, status: 'sent', sentAt: now, postUnconfirmedAt: null, lastError: null }, 'id = ? AND ts IS NULL', [id], { now });
    },

    /** Marks a post as going out (its answer not yet in), unless it was posted meanwhile: 0 then. */
    markPostGoingOut(id: number, mark: { postUnconfirmedAt: Date; attempts: number }): Promise<number> {
      return sql.update(SlackMessage, mark, 'id = ? AND ts IS NULL', [id]);
    },

    /** Records why a post failed; `answered` when Slack's answer says it was not posted. */
    recordPostFailure(id: number, lastError: string, answered: boolean): Promise<number> {
      return sql.update(SlackMessage, { lastError, ...(answered ? { postUnconfirmedAt: null } : {}) }, 'id = ?', [id]);
    },

    /** A thread that could not be posted takes no replies: those waiting are failed. */
    failPendingReplies(parentId: number): Promise<number> {
      return sql.update(SlackMessage, { status: 'failed', lastError: 'its thread could not be posted' }, "thread_of = ? AND status = 'pending'", [parentId]);
    },

    /** The lease of the one worker posting a thread's replies (see db/lease.ts). */
    takeRepliesLease: (parentId: number, ms: number) => takeLease(sql, SlackMessage, parentId, 'repliesLeaseUntil', ms),
    renewRepliesLease: (parentId: number, until: Date, ms: number) => renewLease(sql, SlackMessage, parentId, 'repliesLeaseUntil', until, ms),
    dropRepliesLease: (parentId: number, until: Date) => dropLease(sql, SlackMessage, parentId, 'repliesLeaseUntil', until),

    /** The DM channel a ticket's requester thread was posted in, once Slack answered the post. */
    async requesterDmChannel(ticketId: number, opts: InTransaction = {}): Promise<string | undefined> {
      const row = await sql.selectOne(SlackMessage, "ticket_id = ? AND purpose = 'requester_confirmation' AND ts IS NOT NULL ORDER BY id ASC", [ticketId], opts);
      return row?.channel;
    },

    /** The expert's thread opened for the booking under `aliasId`, if it is made. */
    expertThreadOfAlias(ticketId: number, expertId: number, aliasId: number, opts: InTransaction = {}): Promise<SlackMessageRow | undefined> {
      return sql.selectOne(SlackMessage, "ticket_id = ? AND purpose = 'expert_thread' AND expert_id = ? AND alias_id = ? ORDER BY id DESC", [ticketId, expertId, aliasId], opts);
    },

    /**
     * The ticket threads with these Slack ts, with their ticket's customer, in one statement.
     * A ts is unique only within its conversation: the caller matches the channel too.
     */
    async ticketThreadsByTs(tss: readonly string[], opts: InTransaction = {}): Promise<TicketThreadRow[]> {
      const distinct = [...new Set(tss)];
      if (distinct.length === 0) return [];
      const rows = await sql.query<{ id: number; ts: string; channel: string; ticket_id: number | null; purpose: TicketThreadRow['purpose']; expert_id: number | null; alias_id: number | null; customer_slack_user_id: string | null }>(
        `SELECT m.id, m.ts, m.channel, m.ticket_id, m.purpose, m.expert_id, m.alias_id, c.slack_user_id AS customer_slack_user_id
           FROM slack_messages m LEFT JOIN tickets t ON t.id = m.ticket_id LEFT JOIN customers c ON c.id = t.customer_id
          WHERE m.ts IN (${Sql.list(distinct.length)}) AND m.purpose IN ('expert_thread', 'requester_confirmation') ORDER BY m.id`,
        distinct,
        opts,
      );
      const id = (v: number | null) => (v === null ? null : Number(v));
      return rows.map((r) => ({ id: Number(r.id), ts: r.ts, channel: r.channel, ticketId: id(r.ticket_id), purpose: r.purpose, expertId: id(r.expert_id), aliasId: id(r.alias_id), customerSlackUserId: r.customer_slack_user_id }));
    },

    /** Records messages to post (each then queued as a post), in one statement; their ids in order. */
    add(messages: readonly NewSlackMessage[], opts: InTransaction & { now: Date }): Promise<number[]> {
      return sql.insert(SlackMessage, messages, opts);
    },

    /** The DM thread a Slack requester was told of their ticket in (their side of the conversation), if it was written. */
    requesterThread(ticketId: number, opts: InTransaction = {}): Promise<SlackMessageRow | undefined> {
      return sql.selectOne(SlackMessage, "ticket_id = ? AND purpose = 'requester_confirmation' ORDER BY id ASC", [ticketId], opts);
    },

    /** The managers' alerts about the expert's suspensions, oldest first. */
    suspensionAlertsOf(expertId: number, opts: InTransaction = {}): Promise<SlackMessageRow[]> {
      return sql.select(SlackMessage, "purpose = 'suspension_alert' AND expert_id = ? ORDER BY id ASC", [expertId], opts);
    },

    /**
     * Notes on a suspension alert who reinstated the expert and when (its details, which the
     * alert is rendered from); false, and nothing written, when it already names someone.
     */
    async markReinstated(alert: Pick<SlackMessageRow, 'id' | 'details'>, by: string, opts: InTransaction & { now: Date }): Promise<boolean> {
      const details = alert.details ? (JSON.parse(alert.details) as Record<string, unknown>) : {};
      if (details.reinstatedBy) return false;
      await sql.update(SlackMessage, { details: JSON.stringify({ ...details, reinstatedBy: by, reinstatedAt: opts.now.toISOString() }) }, 'id = ?', [alert.id], opts);
      return true;
    },

    /** Helpnet's notices, in one statement; their ids in order. */
    insertNotices(notices: readonly NoticeToPost[], opts: InTransaction & { now: Date }): Promise<number[]> {
      return sql.insert(
        SlackMessage,
        notices.map((n) => ({ ticketId: null, purpose: 'notice' as const, channel: n.channel, expertId: null, threadOf: n.threadOf, details: JSON.stringify({ text: n.text }) })),
        opts,
      );
    },
  };
}

export type SlackMessagesRepository = ReturnType<typeof slackMessagesRepository>;
