import { Op, UniqueConstraintError, type Transaction } from 'sequelize';
import type { Customer } from '../../db/models/customer.ts';
import type { Ticket, TicketSource, TicketUrgency } from '../../db/models/ticket.ts';
import { assignAlias } from '../aliases/assign-alias.ts';
import { findTier, postToTier } from '../dispatch/post-to-tier.ts';
import { storeSlackNames } from '../relay/identity.ts';
import { WORK, type DomainContext } from '../domain-context.ts';

export interface CustomerIdentity {
  name?: string | null;
  email?: string | null;
  phone?: string | null;
  company?: string | null;
  slackUserId?: string | null;
  zendeskUserId?: string | null;
  /** Names they go by in Slack (Slack requesters), kept current: scrubbed from their messages. */
  slackNames?: readonly string[];
}

export interface NewTicket {
  source: TicketSource;
  /** The source's own id for what was filed: a repeat of it finds the ticket already made. */
  externalId: string;
  categoryId: number;
  description: string;
  subject?: string | null;
  urgency?: TicketUrgency;
  customer: CustomerIdentity;
  accessTokenHash?: string | null;
}

export interface CreatedTicket {
  ticket: Ticket;
  /** False when the same source event had already made this ticket. */
  created: boolean;
}

/** The customer record for an identity: by Slack id, Zendesk id, then email; made if new. */
async function findOrCreateCustomer(ctx: Pick<DomainContext, 'db'>, transaction: Transaction, who: CustomerIdentity): Promise<Customer> {
  const { Customer } = ctx.db.models;
  const keys = (
    [
      ['slackUserId', who.slackUserId],
      ['zendeskUserId', who.zendeskUserId],
      ['email', who.email],
    ] as const
  ).filter((k): k is readonly [(typeof k)[0], string] => !!k[1]);
  const { slackNames: names, ...fields } = who;
  const slackNames = names ? storeSlackNames(names) : null;
  const fillIn = async (found: Customer) => {
    const changes: Partial<Customer> = Object.fromEntries(Object.entries(fields).filter(([k, v]) => v && !found.get(k)));
    if (slackNames && slackNames !== found.slackNames) changes.slackNames = slackNames;
    if (Object.keys(changes).length > 0) await found.update(changes, { transaction });
    return found;
  };
  if (keys.length > 0) {
    // Every identity in one query, then the first key in order of preference that matched.
    const matches = await Customer.findAll({ where: { [Op.or]: keys.map(([key, value]) => ({ [key]: value })) }, order: [['id', 'ASC']], transaction });
    if (matches.every((c) => keys.some(([key, value]) => c[key] === value))) {
      for (const [key, value] of keys) {
        const found = matches.find((c) => c[key] === value);
        if (found) return fillIn(found);
      }
    } else {
      // The database matched by its collation (case, accents) where JavaScript sees a
      // difference: ask it key by key, in order of preference.
      for (const [key, value] of keys) {
        const found = await Customer.findOne({ where: { [key]: value }, transaction });
        if (found) return fillIn(found);
      }
    }
  }
  return Customer.create(
    {
      name: who.name ?? null,
      email: who.email ?? null,
      phone: who.phone ?? null,
      company: who.company ?? null,
      slackUserId: who.slackUserId ?? null,
      zendeskUserId: who.zendeskUserId ?? null,
      slackNames,
    },
    { transaction },
  );
}

/**
 * Intake: stores a ticket with its customer and customer alias and dispatches it to the
 * first tier, in one transaction. Idempotent per (source, externalId).
 */
export async function createTicket(ctx: DomainContext, input: NewTicket): Promise<CreatedTicket> {
  const { Ticket } = ctx.db.models;
  const where = { source: input.source, externalId: input.externalId };
  try {
    return await ctx.db.sequelize.transaction(async (transaction) => {
      // A repeat of the same source event fails on the unique (source, external_id) index
      // below and is answered from the catch: no read before the insert.
      const customer = await findOrCreateCustomer(ctx, transaction, input.customer);
      const target = await findTier(ctx, transaction, input.categoryId, 1);
      const ticket = await Ticket.create(
        {
          ...where,
          categoryId: input.categoryId,
          customerId: customer.id,
          description: input.description,
          subject: input.subject ?? null,
          urgency: input.urgency ?? 'normal',
          accessTokenHash: input.accessTokenHash ?? null,
          // Written dispatched to tier 1 at once when there is one (postToTier below posts it).
          ...(target ? { status: 'dispatched' as const, tier: 1, dispatchedAt: ctx.now() } : {}),
        },
        { transaction },
      );
      await assignAlias(ctx, transaction, { ticketId: ticket.id, side: 'customer' });
      await postToTier(ctx, transaction, ticket, 1, target);
      if (input.source === 'zendesk') await ctx.outbox.add(transaction, WORK.noteSource, { ticketId: ticket.id });
      if (input.source === 'slack' && customer.slackUserId) {
        // Slack requesters hear back in their DM with the app.
        const confirmation = await ctx.db.models.SlackMessage.create(
          { ticketId: ticket.id, purpose: 'requester_confirmation', channel: customer.slackUserId, expertId: null },
          { transaction },
        );
        await ctx.outbox.add(transaction, WORK.slackPost, { messageId: confirmation.id });
      }
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
