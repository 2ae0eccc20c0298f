import { surveyNotice } from '../domain/surveys/survey-notices.ts';
import type { TicketMessage } from '../db/models/ticket-message.ts';
import { expertLabel } from '../domain/relay/labels.ts';
import { ticketPublicId } from '../domain/tickets/ticket-public-id.ts';
import type { DomainContext } from '../domain/domain-context.ts';
import { PermanentMailError, type Mailer, type OutgoingMail } from './mailer.ts';

/** What the mail adapter works with: the database and clock, and the mailer (absent when mail is off). */
export type MailContext = Pick<DomainContext, 'db' | 'now' | 'surveyLinks'> & { mailer?: Mailer | undefined };

const oneLine = (s: string, max: number) => {
  const line = s.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
};

/**
 * The email telling a widget customer about a new message on their ticket. A survey
 * notice's link (`link`) goes on a line of its own after the words, never in the subject.
 */
export function composeMessageEmail(to: string, deliveryId: number, ticketId: number, message: Pick<TicketMessage, 'side' | 'aliasName' | 'body'> & { link?: string | undefined }): OutgoingMail {
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
      'To answer, and to see the whole conversation, open the help widget where you filed this ticket. Replies to this email are not read.',
    ].join('\n'),
    messageId: `<helpnet-delivery-${deliveryId}@helpnet.invalid>`,
  };
}

/**
 * Emails one transcript message to the widget customer. Sent once: a delivered row is not
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
    await ctx.mailer.send(composeMessageEmail(customer.email, delivery.id, ticket.id, { side: message.side, aliasName: message.aliasName, body: notice.text, link: notice.url }));
  } catch (err) {
    await delivery.update({ attempts: delivery.attempts + 1, lastError: (err as Error).message, ...(err instanceof PermanentMailError ? { status: 'failed' as const } : {}) });
    throw err;
  }
  await MessageDelivery.update({ status: 'delivered', deliveredAt: ctx.now(), attempts: delivery.attempts + 1, lastError: null }, { where: { id: delivery.id, status: 'pending' } });
}
