import { surveyNotice } from '../domain/surveys/survey-notices.ts';
import type { TicketMessage } from '../db/models/ticket-message.ts';
import { expertLabel } from '../domain/relay/labels.ts';
import { ticketPublicId } from '../domain/tickets/ticket-public-id.ts';
import type { DomainContext } from '../domain/domain-context.ts';
import { PermanentMailError, type Mailer, type OutgoingMail } from './mailer.ts';

/**
 * What the mail adapter works with: the database and clock, the survey links, the public
 * URL (through the account links: a portal ticket's email links to its page), and the
 * mailer (absent when mail is off).
 */
export type MailContext = Pick<DomainContext, 'db' | 'now' | 'surveyLinks'> & { accountLinks: Pick<DomainContext['accountLinks'], 'publicUrl'>; mailer?: Mailer | undefined };

/** Where the customer reads the whole conversation and answers: the widget, or the ticket's page in the portal (`where`). */
export type ConversationPlace = { kind: 'widget' } | { kind: 'portal'; ticketUrl: string };

const whereToAnswer = (place: ConversationPlace) =>
  place.kind === 'portal'
    ? `To answer, and to see the whole conversation, open ${place.ticketUrl} (log in first if you are asked to). Replies to this email are not read.`
    : 'To answer, and to see the whole conversation, open the help widget where you filed this ticket. Replies to this email are not read.';

const oneLine = (s: string, max: number) => {
  const line = s.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
};

/**
 * The email telling a widget or portal customer about a new message on their ticket. A
 * survey notice's link (`link`) goes on a line of its own after the words, never in the
 * subject. The footer says where to answer (`place`).
 */
export function composeMessageEmail(
  to: string,
  deliveryId: number,
  ticketId: number,
  message: Pick<TicketMessage, 'side' | 'aliasName' | 'body'> & { link?: string | undefined },
  place: ConversationPlace = { kind: 'widget' },
): OutgoingMail {
  const id = ticketPublicId(ticketId);
  const who = message.side === 'expert' ? expertLabel(message.aliasName ?? '') : null;
  return {
    to,
    subject: who ? `[${id}] ${who}: ${oneLine(message.body, 60)}` : `[${id}] ${oneLine(message.body, 80)}`,
    text: [
      who ? `${who} wrote on your ticket ${id}:` : `About your ticket ${id}:`,
      '',
      message.body,
      ...(message.link ? ['', message.link] : []),
      '',
      '--',
      whereToAnswer(place),
    ].join('\n'),
    messageId: `<helpnet-delivery-${deliveryId}@helpnet.invalid>`,
  };
}

/**
 * Emails one transcript message to the widget or portal customer. Sent once: a delivered row is not
 * sent again. With mail off (no SMTP_URL) the delivery is marked skipped — the widget shows
 * the conversation anyway. A customer without an email address is skipped the same way.
 */
export async function sendMessageEmail(ctx: MailContext, deliveryId: number): Promise<void> {
  const { MessageDelivery, TicketMessage, Ticket, Customer } = ctx.db.models;
  const delivery = await MessageDelivery.findByPk(deliveryId);
  if (!delivery || delivery.status === 'delivered' || delivery.status === 'failed' || delivery.status === 'skipped') return;
  const message = await TicketMessage.findByPk(delivery.messageId, { rejectOnEmpty: true });
  const ticket = await Ticket.findByPk(delivery.ticketId, { rejectOnEmpty: true });
  const customer = await Customer.findByPk(ticket.customerId, { rejectOnEmpty: true });
  if (!ctx.mailer || !customer.email) {
    await delivery.update({ status: 'skipped', lastError: ctx.mailer ? 'the customer has no email address' : 'mail is off (no SMTP_URL)' });
    return;
  }
  try {
    const survey = message.surveyId ? await ctx.db.surveys.byId(message.surveyId) : undefined;
    const notice = surveyNotice(message, survey, ctx.surveyLinks);
    const place: ConversationPlace = ticket.source === 'portal' ? { kind: 'portal', ticketUrl: `${ctx.accountLinks.publicUrl}/tickets/${ticketPublicId(ticket.id)}` } : { kind: 'widget' };
    await ctx.mailer.send(composeMessageEmail(customer.email, delivery.id, ticket.id, { side: message.side, aliasName: message.aliasName, body: notice.text, link: notice.url }, place));
  } catch (err) {
    await delivery.update({ attempts: delivery.attempts + 1, lastError: (err as Error).message, ...(err instanceof PermanentMailError ? { status: 'failed' as const } : {}) });
    throw err;
  }
  await MessageDelivery.update({ status: 'delivered', deliveredAt: ctx.now(), attempts: delivery.attempts + 1, lastError: null }, { where: { id: delivery.id, status: 'pending' } });
}
