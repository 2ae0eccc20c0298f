import type { Attributes } from 'sequelize';
import type { Ticket } from '../db/models/ticket.ts';
import { receiveMessage } from '../domain/relay/receive-message.ts';
import { tellCustomer } from '../domain/relay/route-message.ts';
import { ticketPublicId } from '../domain/tickets/ticket-public-id.ts';
import type { ZendeskContext } from './zendesk-context.ts';
import type { Identity } from '../domain/relay/scrub-identity.ts';
import { recordCustomerContact } from '../domain/customers/record-customer-contact.ts';
import { contactChanges } from '../domain/customers/rules.ts';
import { PermanentZendeskError, RetryableZendeskError, type ZendeskCommentData } from './client.ts';

export type CommentsRead = { relayed: number; refused: number };

/** What reading needs of a ticket filed from Zendesk. */
export type TicketToRead = Pick<Attributes<Ticket>, 'id' | 'externalId' | 'zendeskCommentCursor' | 'customerId'>;

/**
 * A Zendesk ticket changed: reads its comments and takes in, in order, the public ones
 * newer than the last read and not written by Helpnet's own Zendesk user. The first
 * comment is the description the ticket was filed with. Each comment moves the ticket's
 * cursor in the same transaction that stores it, so repeated or overlapping webhooks
 * take each comment once. A comment on a closed ticket is answered, not relayed.
 */
export async function readTicketComments(ctx: ZendeskContext, ticket: TicketToRead): Promise<CommentsRead> {
  if (!ctx.zendesk) throw new RetryableZendeskError('Zendesk is not configured', 10 * 60_000);
  const me = await ctx.zendesk.me();
  const comments = await ctx.zendesk.getComments(Number(ticket.externalId));
  const cursor = ticket.zendeskCommentCursor === null ? -1 : Number(ticket.zendeskCommentCursor);
  const fresh = comments.slice(1).filter((c) => c.id > cursor && c.public && c.author_id !== me.id);
  const read: CommentsRead = { relayed: 0, refused: 0 };
  if (fresh.length === 0) return read;
  const customer = await ctx.db.customers.byId(ticket.customerId);
  // The requester as Zendesk describes them now (side-loaded with their comments): a new
  // name, address or phone is taken before their comments are scrubbed of it.
  const requester = comments.find((c) => c.author && String(c.author_id) === customer?.zendeskUserId)?.author;
  const described = requester ? { name: requester.name, email: requester.email, phone: requester.phone } : undefined;
  if (customer && described && Object.keys(contactChanges(customer, described)).length > 0) {
    await ctx.db.unitOfWork((transaction) => recordCustomerContact(ctx, transaction, customer.id, described));
  }
  const writers = await otherWriters(ctx, ticket, customer?.zendeskUserId ?? null, fresh);
  for (const comment of fresh) {
    await ctx.db.unitOfWork(async (transaction) => {
      // Moving the cursor first claims the comment (and on MariaDB locks the ticket row).
      if (!(await ctx.db.tickets.moveZendeskCommentCursor(ticket.id, comment.id, ctx.now(), { transaction }))) return;
      const result = await receiveMessage(ctx, transaction, {
        ticketId: ticket.id,
        from: { side: 'customer' },
        body: comment.body,
        via: 'zendesk',
        sourceKey: `zendesk:comment:${comment.id}`,
        writtenBy: writers.get(comment.author_id),
      });
      if (result.outcome === 'closed') {
        const current = (await ctx.db.tickets.byId(ticket.id, { transaction }))!;
        await tellCustomer(ctx, transaction, current, `Helpnet ticket ${ticketPublicId(ticket.id)} is closed, so your message was not passed on to an expert. Please file a new request if you still need help.`);
        read.refused += 1;
      } else if (result.outcome === 'relayed' || result.outcome === 'held') {
        read.relayed += 1;
      }
    });
  }
  return read;
}

/**
 * Public comments on the customer's side by someone other than the requester (a colleague
 * copied on the ticket replying to the notification) are relayed as the customer's, so
 * their identity, as side-loaded with the comments (or else read from Zendesk), is
 * scrubbed too. A user Zendesk no longer has is scrubbed as the requester only.
 */
async function otherWriters(ctx: ZendeskContext, ticket: TicketToRead, requesterId: string | null, comments: ZendeskCommentData[]): Promise<Map<number, Identity>> {
  const writers = new Map<number, Identity>();
  for (const comment of comments) {
    const id = comment.author_id;
    if (String(id) === requesterId || writers.has(id)) continue;
    let user = comment.author;
    if (!user) {
      try {
        user = await ctx.zendesk!.getUser(id);
      } catch (err) {
        if (!(err instanceof PermanentZendeskError)) throw err;
        ctx.logger.warn(`Zendesk user ${id}, who commented on ticket ${ticket.externalId}, could not be read: ${err.message}`);
        continue;
      }
    }
    writers.set(id, { name: user.name, email: user.email, phone: user.phone });
  }
  return writers;
}
