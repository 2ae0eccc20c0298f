import type { KnownBlock } from '@slack/types';
import type { Database } from '../../db/database.ts';
import type { Category } from '../../db/models/category.ts';
import type { Customer } from '../../db/models/customer.ts';
import type { Group } from '../../db/models/group.ts';
import type { TicketAlias } from '../../db/models/ticket-alias.ts';
import type { SlackMessage } from '../../db/models/slack-message.ts';
import { ticketPublicId } from '../../domain/tickets/ticket-public-id.ts';
import { buildDeliveryAlert, buildEscalationAlert, buildRequesterConfirmation, buildUnroutableAlert } from '../blocks/alert-messages.ts';
import { buildExpertThread } from '../blocks/expert-thread.ts';
import { buildRelayMessage } from '../blocks/relay-message.ts';
import { buildTicketCard, type TicketCard } from '../blocks/ticket-card.ts';
import { customerLabel, expertLabel } from '../../domain/relay/labels.ts';
import { ticketTextForExperts } from '../../domain/tickets/ticket-text-for-experts.ts';

export interface RenderedMessage {
  text: string;
  blocks?: KnownBlock[];
}

async function loadCard(db: Pick<Database, 'models' | 'sql'>, ticketId: number, postedTier: number, postedRound = 1): Promise<{ card: TicketCard; channels: string[] }> {
  const { Ticket, Tier } = db.models;
  // Two queries: the ticket with its category and customer aliases, the tiers with their groups.
  const ticket = await Ticket.findByPk(ticketId, {
    rejectOnEmpty: true,
    include: [
      { association: 'category', required: true },
      { association: 'aliases', where: { side: 'customer' }, required: false, attributes: ['id', 'name'] },
      { association: 'customer', required: false },
    ],
  });
  const category = ticket.get('category') as Category;
  const tiers = await Tier.findAll({ where: { categoryId: category.id }, include: [{ association: 'group' }], order: [['position', 'ASC']] });
  const groupOf = (position: number) => tiers.find((t) => t.position === position)?.get('group') as Group | null | undefined;
  // The latest customer alias.
  const alias = ((ticket.get('aliases') as TicketAlias[] | undefined) ?? []).reduce<TicketAlias | undefined>((latest, a) => (!latest || a.id > latest.id ? a : latest), undefined);
  const current = ticket.tier ?? 1;
  const customerAlias = alias?.name ?? 'a customer';
  // Channel posts and pages reach the whole group: never the customer's identity, whatever the category shares.
  const { subject, description } = ticketTextForExperts(ticket, (ticket.get('customer') as Customer | null) ?? null, customerAlias);
  return {
    card: {
      publicId: ticketPublicId(ticket.id),
      categoryName: category.name,
      customerAlias,
      urgency: ticket.urgency,
      filedAt: ticket.createdAt,
      status: ticket.status,
      tier: current,
      tierCount: tiers.length,
      tierGroupName: groupOf(current)?.name ?? '',
      postedTier,
      superseded: postedRound < ticket.dispatchRound,
      escalationExhausted: ticket.escalationExhaustedAt !== null,
      subject,
      description,
    },
    channels: tiers.filter((t) => t.position <= current).map((t) => groupOf(t.position)?.channelId).filter((c): c is string => !!c),
  };
}

/** The content of a Slack message, from the current state of what it is about. */
export async function renderSlackMessage(db: Pick<Database, 'models' | 'sql'>, message: SlackMessage): Promise<RenderedMessage> {
  const details = message.details ? (JSON.parse(message.details) as Record<string, string | number | undefined>) : {};
  const text = (key: string, fallback: string) => (typeof details[key] === 'string' ? details[key] : fallback);
  const round = typeof details.round === 'number' ? details.round : 1;
  switch (message.purpose) {
    case 'dispatch':
      return buildTicketCard((await loadCard(db, message.ticketId!, message.tier ?? 1, round)).card);
    case 'page': {
      const { card } = await loadCard(db, message.ticketId!, message.tier ?? 1, round);
      return buildTicketCard(card, `:wave: You are one of the best-placed experts for this *${card.categoryName.replace(/[&<>]/g, '')}* ticket. Book it if you can take it.`);
    }
    case 'escalation_alert': {
      const { card, channels } = await loadCard(db, message.ticketId!, message.tier ?? 1);
      return buildEscalationAlert({ publicId: card.publicId, categoryName: card.categoryName, tierCount: card.tierCount, channels });
    }
    case 'requester_confirmation': {
      const { card } = await loadCard(db, message.ticketId!, 1);
      return buildRequesterConfirmation({ publicId: card.publicId, categoryName: card.categoryName });
    }
    case 'unroutable_alert':
      return buildUnroutableAlert({ source: text('source', 'a source'), reference: text('reference', ''), reason: text('reason', 'no matching category') });
    case 'delivery_alert':
      return buildDeliveryAlert({ channel: text('channel', ''), what: text('what', 'a message'), error: text('error', 'unknown error') });
    case 'expert_thread':
      return renderExpertThread(db, message, Number(details.aliasId));
    case 'relay': {
      const m = await db.models.TicketMessage.findByPk(message.ticketMessageId!, { rejectOnEmpty: true });
      const label = m.side === 'customer' ? customerLabel(m.aliasName ?? '') : m.side === 'expert' ? expertLabel(m.aliasName ?? '') : null;
      return buildRelayMessage(label, m.body);
    }
    case 'notice':
      // Written by Helpnet; anything from outside in it was escaped when it was written.
      return { text: text('text', '') };
  }
}

async function renderExpertThread(db: Pick<Database, 'models' | 'sql'>, message: SlackMessage, aliasId: number): Promise<RenderedMessage> {
  const { Ticket, Category, Customer, TicketAlias } = db.models;
  const ticket = await Ticket.findByPk(message.ticketId!, { rejectOnEmpty: true });
  const category = await Category.findByPk(ticket.categoryId, { rejectOnEmpty: true });
  const expertAlias = await TicketAlias.findByPk(aliasId, { rejectOnEmpty: true });
  const customerAlias = await TicketAlias.findOne({ where: { ticketId: ticket.id, side: 'customer' }, order: [['id', 'DESC']] });
  const customer = await Customer.findByPk(ticket.customerId);
  // Where the category shares the customer's contact with the expert who took the ticket, their text is shown as written.
  const { subject, description } = category.shareCustomerContact
    ? { subject: ticket.subject, description: ticket.description }
    : ticketTextForExperts(ticket, customer, customerAlias?.name ?? 'the customer');
  const current = !expertAlias.releasedAt && ticket.expertId === message.expertId;
  const state = ['closed', 'cancelled'].includes(ticket.status) ? 'closed' : !current ? 'released' : ticket.status === 'close_pending' ? 'resolved' : 'active';
  return buildExpertThread({
    publicId: ticketPublicId(ticket.id),
    categoryName: category.name,
    customerAlias: customerAlias?.name ?? 'a customer',
    expertAlias: expertAlias.name,
    subject,
    description,
    contact: customer && category.shareCustomerContact ? { email: customer.email, phone: customer.phone } : null,
    state,
  });
}
