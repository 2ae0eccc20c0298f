import type { KnownBlock } from '@slack/types';
import type { DatabaseAccess } from '../../db/database.ts';
import type { Attributes } from 'sequelize';
import type { SlackMessage } from '../../db/models/slack-message.ts';
import { ticketPublicId } from '../../domain/tickets/ticket-public-id.ts';
import { buildDeliveryAlert, buildEscalationAlert, buildRequesterConfirmation, buildUnroutableAlert } from '../blocks/alert-messages.ts';
import { buildExpertThread } from '../blocks/expert-thread.ts';
import { buildRelayMessage } from '../blocks/relay-message.ts';
import { buildTicketCard, type TicketCard } from '../blocks/ticket-card.ts';
import { customerLabel, expertLabel } from '../../domain/relay/labels.ts';
import { storedCategory } from '../../domain/routing-snapshot.ts';
import { ticketTextForExperts } from '../../domain/tickets/ticket-text-for-experts.ts';

type SlackMessageRow = Attributes<SlackMessage>;

export interface RenderedMessage {
  text: string;
  blocks?: KnownBlock[];
}

async function loadCard(db: DatabaseAccess, ticketId: number, postedTier: number, postedRound = 1): Promise<{ card: TicketCard; channels: string[] }> {
  const { sql, models } = db;
  // Two plain reads, the ticket and its customer with the latest customer alias; the category and its tiers are known.
  const ticket = await sql.selectOne(models.Ticket, 'id = ?', [ticketId]);
  if (!ticket) throw new Error(`ticket ${ticketId} not found`);
  const [about] = await sql.query<{ name: string | null; email: string | null; phone: string | null; company: string | null; slack_names: string | null; former_identity: string | null; alias: string | null }>(
    `SELECT cu.name, cu.email, cu.phone, cu.company, cu.slack_names, cu.former_identity,
            (SELECT a.name FROM ticket_aliases a WHERE a.ticket_id = ? AND a.side = 'customer' ORDER BY a.id DESC LIMIT 1) AS alias
       FROM customers cu WHERE cu.id = ?`,
    [ticketId, ticket.customerId],
  );
  const category = await storedCategory({ db }, ticket.categoryId);
  const tiers = category?.tiers ?? [];
  const groupOf = (position: number) => tiers.find((t) => t.position === position)?.group;
  const current = ticket.tier ?? 1;
  const customerAlias = about?.alias ?? 'a customer';
  const customer = about ? { name: about.name, email: about.email, phone: about.phone, company: about.company, slackNames: about.slack_names, formerIdentity: about.former_identity } : null;
  // Channel posts and pages reach the whole group: never the customer's identity, whatever the category shares.
  const { subject, description } = ticketTextForExperts(ticket, customer, customerAlias);
  return {
    card: {
      publicId: ticketPublicId(ticket.id),
      categoryName: category?.name ?? '',
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
    channels: tiers.filter((t) => t.position <= current).map((t) => t.group.channelId).filter((c): c is string => !!c),
  };
}

/** The content of a Slack message, from the current state of what it is about. */
export async function renderSlackMessage(db: DatabaseAccess, message: SlackMessageRow): Promise<RenderedMessage> {
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
      return renderExpertThread(db, message, message.aliasId!);
    case 'relay': {
      const m = await db.sql.selectOne(db.models.TicketMessage, 'id = ?', [message.ticketMessageId!]);
      if (!m) throw new Error(`transcript message ${message.ticketMessageId} not found`);
      const label = m.side === 'customer' ? customerLabel(m.aliasName ?? '') : m.side === 'expert' ? expertLabel(m.aliasName ?? '') : null;
      return buildRelayMessage(label, m.body);
    }
    case 'notice':
      // Written by Helpnet; anything from outside in it was escaped when it was written.
      return { text: text('text', '') };
  }
}

async function renderExpertThread(db: DatabaseAccess, message: SlackMessageRow, aliasId: number): Promise<RenderedMessage> {
  const { sql, models } = db;
  const found = async <T>(what: string, row: Promise<T | undefined>): Promise<T> => (await row) ?? Promise.reject(new Error(`${what} not found`));
  const ticket = await found(`ticket ${message.ticketId}`, sql.selectOne(models.Ticket, 'id = ?', [message.ticketId!]));
  const category = await found(`category ${ticket.categoryId}`, sql.selectOne(models.Category, 'id = ?', [ticket.categoryId]));
  const expertAlias = await found(`alias ${aliasId}`, sql.selectOne(models.TicketAlias, 'id = ?', [aliasId]));
  const customerAlias = await sql.selectOne(models.TicketAlias, "ticket_id = ? AND side = 'customer' ORDER BY id DESC", [ticket.id]);
  const customer = (await sql.selectOne(models.Customer, 'id = ?', [ticket.customerId])) ?? null;
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
