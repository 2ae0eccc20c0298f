import { timingSafeEqual } from 'node:crypto';
import { UniqueConstraintError } from 'sequelize';
import { Router, type Request, type RequestHandler } from 'express';
import { z } from 'zod';
import type { Ticket } from '../db/models/ticket.ts';
import type { DomainContext } from '../domain/domain-context.ts';
import { readCustomerTranscript } from '../domain/relay/read-transcript.ts';
import { receiveMessage, type ReceiveOutcome } from '../domain/relay/receive-message.ts';
import { parseTicketPublicId, ticketPublicId } from '../domain/tickets/ticket-public-id.ts';
import { clientKey, RateLimiter } from '../lib/rate-limiter.ts';
import { toPlainText } from '../lib/plain-text.ts';
import { jsonBody } from './json-body.ts';
import { hashAccessToken } from './widget-api.ts';

export const MESSAGE_MAX = 4000;

const newMessage = z.object(
  {
    text: z.string({ error: 'Write a message.' }).trim().min(1, 'Write a message.').max(MESSAGE_MAX, `Please keep it under ${MESSAGE_MAX} characters.`),
  },
  { error: 'Send a JSON object with the text of your message.' },
);

/**
 * The most a message's body may be: a valid one (4000 characters) is under 24 KB even with
 * every character sent as a \u escape, so a message that is merely too long gets its
 * message on the field, and only a body far beyond it is refused unread, with 413.
 */
export const MESSAGE_BODY_LIMIT_BYTES = 64 * 1024;

/**
 * The ticket the request's bearer token opens, or null. A wrong token and an unknown ticket
 * look the same (404), so a token cannot be used to find out which tickets exist.
 */
async function authorisedTicket(ctx: DomainContext, req: Request): Promise<Ticket | null> {
  const id = parseTicketPublicId(String(req.params.id ?? ''));
  const token = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1];
  if (id === undefined || !token) return null;
  const ticket = await ctx.db.models.Ticket.findByPk(id);
  if (!ticket?.accessTokenHash || ticket.source !== 'widget') return null;
  const given = Buffer.from(hashAccessToken(token), 'hex');
  const stored = Buffer.from(ticket.accessTokenHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored) ? ticket : null;
}

const notFound = { error: 'not_found', message: 'No such ticket, or this token does not open it.' };

/**
 * The widget's conversation API, authorised by the ticket's access token:
 * GET /api/widget/tickets/:id/messages (`?after=<cursor>`, the `cursor` of the previous
 * answer, for only newer ones: some may come again, see relay/read-transcript.ts) and
 * POST the customer's message (an Idempotency-Key header makes a retried post count once;
 * 400 with `errors.text`, or `errors.body` for a body that is not a JSON object; 413 past
 * the body limit; 429 past the per-address or per-ticket limit). The body is read only once
 * the token opens the ticket.
 * The customer sees the expert only by alias, and their own messages as they wrote them.
 */
export function widgetMessagesApi(ctx: DomainContext, opts: { limiter?: RateLimiter; addressLimiter?: RateLimiter } = {}): Router {
  const limiter = opts.limiter ?? new RateLimiter(30, 30);
  // Across all the tickets one client address posts to, wrong tokens included.
  const addressLimiter = opts.addressLimiter ?? new RateLimiter(60, 60);
  const router = Router();

  router.get('/api/widget/tickets/:id/messages', async (req, res) => {
    const ticket = await authorisedTicket(ctx, req);
    if (!ticket) {
      res.status(404).json(notFound);
      return;
    }
    const transcript = await readCustomerTranscript(ctx, ticket, Number(req.query.after ?? 0));
    res.json({
      ticket: ticketPublicId(ticket.id),
      status: transcript.status,
      expert: transcript.expert,
      cursor: transcript.cursor,
      messages: transcript.messages.map((m) => ({ ...m, at: m.at.toISOString() })),
    });
  });

  /**
   * Takes from the address's and then the ticket's limit, and opens the ticket
   * (res.locals.ticket), before the body is read.
   */
  const authorise: RequestHandler = async (req, res, next) => {
    const fromAddress = addressLimiter.take(clientKey(req.ip));
    if (fromAddress > 0) {
      res.set('Retry-After', String(Math.ceil(fromAddress / 1000))).status(429).json({ error: 'rate_limited', message: 'Too many messages from this address; please try again shortly.' });
      return;
    }
    const ticket = await authorisedTicket(ctx, req);
    if (!ticket) {
      res.status(404).json(notFound);
      return;
    }
    const wait = limiter.take(`ticket:${ticket.id}`);
    if (wait > 0) {
      res.set('Retry-After', String(Math.ceil(wait / 1000))).status(429).json({ error: 'rate_limited', message: 'Too many messages at once; please wait a moment.' });
      return;
    }
    res.locals.ticket = ticket;
    next();
  };

  const body = jsonBody({ limitBytes: MESSAGE_BODY_LIMIT_BYTES, hint: `A message can be at most ${MESSAGE_MAX} characters.` });
  router.post('/api/widget/tickets/:id/messages', authorise, body, async (req, res) => {
    const ticket = res.locals.ticket as Ticket;
    const parsed = newMessage.safeParse(req.body ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      res.status(400).json({ error: 'invalid', errors: { [String(issue?.path[0] ?? 'body')]: issue?.message ?? 'Write a message.' } });
      return;
    }
    const key = req.get('Idempotency-Key');
    const sourceKey = key && /^[\w-]{8,100}$/.test(key) ? `widget:${ticket.id}:${key}` : `widget:${ticket.id}:${crypto.randomUUID()}`;
    let result: ReceiveOutcome;
    try {
      result = await ctx.db.unitOfWork((transaction) =>
        receiveMessage(ctx, transaction, { ticketId: ticket.id, from: { side: 'customer' }, body: parsed.data.text, via: 'widget', sourceKey }),
      );
    } catch (err) {
      // Retries of one post arriving at the same moment each find no message with their
      // key, and the unique source_key index lets only the first insert through: the
      // others are repeats, answered with the message it stored.
      const stored = err instanceof UniqueConstraintError ? await ctx.db.models.TicketMessage.findOne({ where: { sourceKey } }) : null;
      if (!stored) throw err;
      result = { outcome: 'duplicate', message: stored };
    }
    if (result.outcome === 'empty') {
      res.status(400).json({ error: 'invalid', errors: { text: 'Write a message.' } });
      return;
    }
    if (!('message' in result)) {
      res.status(409).json({ error: 'closed', message: `Ticket ${ticketPublicId(ticket.id)} is closed, so your message was not passed on. Please file a new ticket if you still need help.` });
      return;
    }
    const m = result.message;
    if (result.outcome === 'duplicate' && (m.originalBody ?? m.body) !== toPlainText(parsed.data.text).trim()) {
      // The key names one message: a different one sent with it would otherwise be dropped without a word.
      res.status(422).json({ error: 'idempotency_key_reused', message: 'This Idempotency-Key was already used for a different message. Send the new message with a new key.' });
      return;
    }
    // A repeat says where the message stands now: it waits for an expert until one has the ticket.
    const waiting = result.outcome === 'held' || (result.outcome === 'duplicate' && !ticket.expertId);
    res.status(result.outcome === 'duplicate' ? 200 : 201).json({
      message: { id: m.id, from: 'you', name: 'You', text: m.originalBody ?? m.body, at: m.createdAt.toISOString() },
      delivered: waiting ? 'when an expert takes the ticket' : 'to your expert',
    });
  });
  return router;
}
