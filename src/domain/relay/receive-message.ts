import { toPlainText } from '../../lib/plain-text.ts';
import type { Attributes, Transaction } from 'sequelize';
import type { MessageVia, TicketMessage } from '../../db/models/ticket-message.ts';
import type { Ticket } from '../../db/models/ticket.ts';
import type { MessageWriters, NewTicketMessage } from '../../db/repositories/ticket-messages.ts';
import type { DomainContext } from '../domain-context.ts';
import { storedCategory } from '../routing-snapshot.ts';
import { routeMessages } from './route-message.ts';
import { identitiesOf } from './identity.ts';
import { scrubIdentity, type Identity } from './scrub-identity.ts';

/** Who wrote: the customer of the ticket, or an expert writing in the thread of one booking. */
export type Sender = { side: 'customer' } | { side: 'expert'; expertId: number; aliasId: number };

export interface IncomingMessage {
  ticketId: number;
  from: Sender;
  body: string;
  via: MessageVia;
  /** The message's identity where it was written: a repeat of it is stored once. */
  sourceKey: string;
  /**
   * Someone other than the ticket's customer wrote on the customer's side (a colleague
   * copied on the Zendesk ticket): their identity is scrubbed too.
   */
  writtenBy?: Identity;
}

export type ReceiveOutcome =
  | { outcome: 'relayed' | 'held' | 'duplicate'; message: Attributes<TicketMessage> }
  /** The ticket is closed, or the expert's alias for it was released: not delivered to anyone. */
  | { outcome: 'closed' | 'released' | 'not_found' | 'empty' };

const FINISHED = ['closed', 'cancelled'];

type MessageRow = Attributes<TicketMessage>;

/**
 * A message from one side of a ticket. Checked against the ticket as it is now — a closed
 * ticket or a released expert alias refuses it, so a late message never reaches whoever
 * holds that alias now — then stored in the transcript with the sender's identity scrubbed,
 * and its delivery queued, all in the caller's transaction. A customer's message before an
 * expert has the ticket is held: the booking delivers it.
 */
export async function receiveMessage(ctx: DomainContext, transaction: Transaction, input: IncomingMessage): Promise<ReceiveOutcome> {
  return (await receiveMessages(ctx, transaction, [input]))[0]!;
}

/**
 * receiveMessage for several messages at once (a burst of Slack replies), in order, with
 * a fixed number of statements however many there are: the repeats, the tickets (locked,
 * in id order, so two batches never deadlock), the writers, one INSERT of the new messages
 * and their deliveries. A repeat of a message earlier in the same call is a duplicate too.
 */
export async function receiveMessages(ctx: DomainContext, transaction: Transaction, inputs: readonly IncomingMessage[]): Promise<ReceiveOutcome[]> {
  if (inputs.length === 0) return [];
  const { ticketMessages } = ctx.db;
  const repeats = await ticketMessages.bySourceKeys(inputs.map((i) => i.sourceKey), { transaction });
  // Locked first: messages of one ticket are stored one after another, and the writes
  // below (whose foreign keys take shared locks on these rows) cannot deadlock with a job
  // updating a ticket.
  const tickets = new Map((await ctx.db.tickets.lockByIds(inputs.map((i) => i.ticketId), { transaction })).map((t) => [t.id, t]));
  const writers = await readWriters(ctx, transaction, inputs, tickets);

  const outcomes: (ReceiveOutcome | undefined)[] = [];
  const toStore: { index: number; values: NewTicketMessage }[] = [];
  const firstOfKey = new Map<string, number>();
  for (const [index, input] of inputs.entries()) {
    const repeat = repeats.get(input.sourceKey);
    if (repeat) {
      outcomes.push({ outcome: 'duplicate', message: repeat });
      continue;
    }
    if (firstOfKey.has(input.sourceKey)) {
      outcomes.push(undefined); // a duplicate of the one stored earlier in this call, filled in below
      continue;
    }
    const ticket = tickets.get(input.ticketId);
    // As plain text (no NUL, no lone surrogates): what every channel can carry on.
    const body = toPlainText(input.body).trim();
    let aliasName: string | undefined;
    let scrubbed = body;
    let refusal: ReceiveOutcome | undefined;
    if (!ticket) refusal = { outcome: 'not_found' };
    else if (FINISHED.includes(ticket.status)) refusal = { outcome: 'closed' };
    else if (body === '') refusal = { outcome: 'empty' };
    else if (input.from.side === 'expert') {
      const alias = writers.aliases.get(input.from.aliasId);
      const expert = writers.experts.get(input.from.expertId);
      const current = ticket.expertId === input.from.expertId && ['booked', 'close_pending'].includes(ticket.status);
      if (!alias || !expert || alias.releasedAt || alias.ticketId !== ticket.id || !current) refusal = { outcome: 'released' };
      else {
        aliasName = alias.name;
        scrubbed = scrubIdentity(body, identitiesOf(expert), aliasName);
      }
    } else {
      const alias = writers.customerAliases.get(ticket.id);
      const customer = writers.customers.get(ticket.customerId);
      if (!alias || !customer) refusal = { outcome: 'closed' };
      else {
        const category = await storedCategory(ctx, ticket.categoryId, transaction);
        aliasName = alias.name;
        // A category that shares the customer's contact shares theirs only: a colleague who
        // wrote on their side is still scrubbed.
        const people = [...(category?.shareCustomerContact ? [] : identitiesOf(customer)), ...(input.writtenBy ? [input.writtenBy] : [])];
        scrubbed = people.length > 0 ? scrubIdentity(body, people, aliasName) : body;
      }
    }
    if (refusal) {
      outcomes.push(refusal);
      continue;
    }
    firstOfKey.set(input.sourceKey, index);
    outcomes.push(undefined);
    toStore.push({
      index,
      values: {
        ticketId: ticket!.id,
        side: input.from.side,
        aliasName: aliasName!,
        expertId: input.from.side === 'expert' ? input.from.expertId : null,
        body: scrubbed,
        // The customer's own words, to show them back (the widget); kept only where scrubbing
        // changed them. Experts see their messages in Slack as they wrote them: nothing to keep.
        originalBody: input.from.side === 'customer' && scrubbed !== body ? body : null,
        via: input.via,
        sourceKey: input.sourceKey,
      },
    });
  }

  const rows = await ticketMessages.insert(toStore.map((s) => s.values), { transaction, now: ctx.now() });
  const stored = new Map<number, MessageRow>();
  toStore.forEach((s, i) => stored.set(s.index, rows[i]!));
  await routeMessages(
    ctx,
    transaction,
    toStore.map((s) => ({ ticket: tickets.get(s.values.ticketId)!, message: stored.get(s.index)! })),
    { locked: true },
  );
  return inputs.map((input, index) => {
    const message = stored.get(index);
    if (message) return { outcome: input.from.side === 'customer' && !tickets.get(input.ticketId)!.expertId ? 'held' : 'relayed', message };
    return outcomes[index] ?? { outcome: 'duplicate', message: stored.get(firstOfKey.get(input.sourceKey)!)! };
  });
}

/** Who wrote the messages: the experts with their booking aliases, the customers with theirs. */
function readWriters(ctx: DomainContext, transaction: Transaction, inputs: readonly IncomingMessage[], tickets: Map<number, Attributes<Ticket>>): Promise<MessageWriters> {
  const expertSide = inputs.flatMap((i) => (i.from.side === 'expert' ? [i.from] : []));
  const customerTickets = inputs.filter((i) => i.from.side === 'customer').flatMap((i) => tickets.get(i.ticketId) ?? []);
  return ctx.db.ticketMessages.writersOf(
    { aliasIds: expertSide.map((f) => f.aliasId), expertIds: expertSide.map((f) => f.expertId), customerIds: customerTickets.map((t) => t.customerId), customerTicketIds: customerTickets.map((t) => t.id) },
    { transaction },
  );
}
