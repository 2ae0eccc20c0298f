import { UniqueConstraintError, type Attributes, type Transaction } from 'sequelize';
import type { Customer } from '../../db/models/customer.ts';
import type { Ticket, TicketSource, TicketUrgency } from '../../db/models/ticket.ts';
import { assignAlias } from '../aliases/assign-alias.ts';
import { findTier } from '../dispatch/post-to-tier.ts';
import { recordCustomerContact } from '../customers/record-customer-contact.ts';
import { fitContact, type ContactUpdate } from '../customers/rules.ts';
import { storeSlackNames } from '../relay/identity.ts';
import { WORK, type DomainContext } from '../domain-context.ts';
import { toPlainText } from '../../lib/plain-text.ts';
import { startDispatch } from './start-dispatch.ts';

/** Who filed, as their source describes them now (see ContactUpdate). */
export type CustomerIdentity = ContactUpdate;

/**
 * A customer Helpnet already knows for certain: a signed-in portal account's own customer
 * row. Nothing is matched or updated; the account is who filed.
 */
export interface KnownCustomer {
  customerId: number;
}

export interface NewTicket {
  source: TicketSource;
  /** The source's own id for what was filed: a repeat of it finds the ticket already made. */
  externalId: string;
  categoryId: number;
  description: string;
  subject?: string | null;
  urgency?: TicketUrgency;
  customer: CustomerIdentity | KnownCustomer;
  accessTokenHash?: string | null;
  /**
   * The requester's contact is still to be read from their source (a Slack profile): the
   * ticket is filed `open` and WORK.readRequesterProfile dispatches it once that is known,
   * so nothing about it reaches Slack before it can be scrubbed of who they are.
   */
  awaitRequesterContact?: boolean;
}

export interface CreatedTicket {
  ticket: Ticket;
  /** False when the same source event had already made this ticket. */
  created: boolean;
}

type CustomerRow = Attributes<Customer>;

/**
 * The customer record for an identity: by Slack id, Zendesk id, then email (normalised, so
 * in any case); made if new. A customer found takes the contact given now, keeping what it
 * replaces to scrub — or, from an unverified source, only adds it to scrub (see
 * recordCustomerContact).
 */
async function findOrCreateCustomer(ctx: Pick<DomainContext, 'db' | 'now'>, transaction: Transaction, given: CustomerIdentity, verified: boolean): Promise<Pick<CustomerRow, 'id' | 'slackUserId'>> {
  const who = fitContact(given);
  // Every identity in one query, then the first key in order of preference that matches
  // exactly: MariaDB's collation would also match what differs in accents or trailing
  // spaces, SQLite's would not, and one person must be one customer on both.
  const matches = await ctx.db.customers.matching({ slackUserId: who.slackUserId, zendeskUserId: who.zendeskUserId, email: who.email }, { transaction });
  for (const key of ['slackUserId', 'zendeskUserId', 'email'] as const) {
    const value = who[key];
    const found = value ? matches.find((c) => c[key] === value) : undefined;
    if (found) return (await recordCustomerContact(ctx, transaction, found.id, who, found, verified)) ?? found;
  }
  const row = {
    name: who.name?.trim() || null,
    email: who.email,
    phone: who.phone?.trim() || null,
    company: who.company?.trim() || null,
    slackUserId: who.slackUserId ?? null,
    zendeskUserId: who.zendeskUserId ?? null,
    slackNames: who.slackNames ? storeSlackNames(who.slackNames) : null,
  };
  return { id: await ctx.db.customers.add(row, ctx.now(), { transaction }), slackUserId: row.slackUserId };
}

async function knownCustomer(ctx: Pick<DomainContext, 'db'>, transaction: Transaction, id: number): Promise<Pick<CustomerRow, 'id' | 'slackUserId'>> {
  const row = await ctx.db.customers.byId(id, { transaction });
  if (!row) throw new Error(`no customer ${id} to file a ticket for`);
  return row;
}

/**
 * Intake: stores a ticket with its customer and customer alias and dispatches it to the
 * first tier, in one transaction (or, awaiting the requester's contact, leaves it open for
 * the job that reads it). Idempotent per (source, externalId).
 */
export async function createTicket(ctx: DomainContext, input: NewTicket): Promise<CreatedTicket> {
  const { Ticket } = ctx.db.models;
  const where = { source: input.source, externalId: input.externalId };
  try {
    return await ctx.db.unitOfWork(async (transaction) => {
      // A repeat of the same source event fails on the unique (source, external_id) index
      // below and is answered from the catch: no read before the insert.
      // The widget's form is anyone's word for who they are: it may add details to scrub, not
      // replace a customer's contact. A portal account is its own customer row: used as it is.
      const customer = 'customerId' in input.customer ? await knownCustomer(ctx, transaction, input.customer.customerId) : await findOrCreateCustomer(ctx, transaction, input.customer, input.source !== 'widget');
      const target = input.awaitRequesterContact ? undefined : await findTier(ctx, transaction, input.categoryId, 1);
      const now = ctx.now();
      const values = {
        ...where,
        categoryId: input.categoryId,
        customerId: customer.id,
        // As plain text (no NUL, no lone surrogates): what every channel can carry on.
        description: toPlainText(input.description),
        subject: input.subject === undefined || input.subject === null ? null : toPlainText(input.subject),
        urgency: input.urgency ?? ('normal' as const),
        accessTokenHash: input.accessTokenHash ?? null,
        // Written dispatched to tier 1 at once when there is one (startDispatch below posts it).
        ...(target ? { status: 'dispatched' as const, tier: 1, dispatchedAt: now } : {}),
      };
      const ticket = Ticket.build(await ctx.db.tickets.add(values, now, { transaction }), { isNewRecord: false, raw: true });
      await assignAlias(ctx, transaction, { ticketId: ticket.id, side: 'customer' });
      if (input.awaitRequesterContact) await ctx.outbox.add(transaction, WORK.readRequesterProfile, { ticketId: ticket.id });
      else await startDispatch(ctx, transaction, ticket, customer.slackUserId, target);
      return { ticket, created: true };
    });
  } catch (err) {
    // The same event delivered twice at the same moment: the other delivery made it.
    if (err instanceof UniqueConstraintError) {
      const ticket = await Ticket.findOne({ where });
      if (ticket) return { ticket, created: false };
    }
    throw err;
  }
}
