import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { routingSnapshot } from '../domain/routing-snapshot.ts';
import { fileTicket } from '../domain/tickets/file-ticket.ts';
import { toPlainText } from '../lib/plain-text.ts';
import { ticketPublicId } from '../domain/tickets/ticket-public-id.ts';
import type { TicketStatus } from '../db/models/ticket.ts';
import type { DomainContext } from '../domain/domain-context.ts';
import { clientKey, RateLimiter } from '../lib/rate-limiter.ts';
import { jsonBody } from './json-body.ts';

const newTicket = z.object(
  {
    name: z.string({ error: 'Tell us your name.' }).trim().min(1, 'Tell us your name.').max(200, 'Keep your name under 200 characters.'),
    email: z
      .string({ error: 'Give an email address we can reach you at.' })
      .trim()
      .max(320, 'An email address has at most 320 characters.')
      .pipe(z.email('That does not look like an email address.')),
    phone: z.string().trim().max(64, 'Keep the phone number under 64 characters.').optional(),
    category: z.string({ error: 'Choose a category.' }).min(1, 'Choose a category.').max(100, 'We do not take tickets in that category.'),
    description: z
      .string({ error: 'Describe the problem.' })
      .trim()
      .min(10, 'Please write at least 10 characters, so an expert can help.')
      .max(4000, 'Please keep it under 4000 characters.'),
  },
  { error: 'Send a JSON object with name, email, category and description.' },
);

/**
 * The most a ticket's body may be. The largest valid ticket is some 4,500 characters of
 * fields (description 4000, name 200, phone 64, email, category): under 28 KB even with
 * every character sent as a \u escape. So a description that is merely too long is read
 * and gets its message on the field; only a body far beyond any valid ticket is refused
 * unread, with 413.
 */
export const TICKET_BODY_LIMIT_BYTES = 64 * 1024;

type NewTicketInput = z.infer<typeof newTicket>;

/**
 * The external id of a submission sent with an Idempotency-Key: the key together with who
 * sent it (the email as stored), hashed. A retry of the same submission finds the ticket it
 * made; another customer using the same key (another site's keys) files their own; the
 * same customer sending another problem with a key already used is refused (see
 * sameSubmission), as payment APIs refuse a key reused for another request. Hex keeps it
 * short and means the same under a case-insensitive collation, where keys differing only
 * in case would otherwise be one.
 */
function submissionId(key: string, input: NewTicketInput): string {
  return `key:${createHash('sha256').update(JSON.stringify([key, input.email.toLowerCase()])).digest('hex')}`;
}

/**
 * Whether a submission is the one that filed `ticket` under the same key: the same problem
 * in the same category. (Name and phone are not compared: from the widget they do not
 * replace what is known of a returning customer, so the ticket cannot say what was sent.)
 */
function sameSubmission(ticket: { description: string; categoryId: number }, input: NewTicketInput, categoryId: number | undefined): boolean {
  return ticket.description === toPlainText(input.description) && ticket.categoryId === categoryId;
}

/**
 * A ticket's status as the widget API tells it. With Slack off no expert can see a ticket,
 * so one that waits for an expert is `stored` (and `waiting_for` says on what), not
 * `dispatched`: it goes to the experts once Helpnet starts with Slack on.
 */
export function widgetStatus(status: TicketStatus, expertsConnected: boolean): { status: string; waiting_for?: 'slack' } {
  return !expertsConnected && (status === 'open' || status === 'dispatched') ? { status: 'stored', waiting_for: 'slack' } : { status };
}

/** The customer's proof of access to one ticket; only its hash is stored. */
export function hashAccessToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * The access token of a submission sent with an Idempotency-Key, derived from it with the
 * server's secret: a retry of the submission (because the first answer was lost) gets the
 * same token, which is the only way the customer can follow the ticket. Without a key the
 * token is random.
 */
function submissionToken(secret: string, externalId: string): string {
  return createHmac('sha256', secret).update(`widget-access-token:${externalId}`).digest('base64url');
}

/** How long a retried keyed submission still gets its ticket's access token. */
export const RETRY_TOKEN_WINDOW_MS = 24 * 60 * 60_000;

/**
 * CORS for the widget API, only for the origins in the routing file's `widget.allowedOrigins`
 * (requests carry a token, never cookies). The widget itself calls the API from its panel,
 * a page of this server, so it needs none. A preflight from any other origin is refused
 * (403) and an actual request from one gets no CORS headers: the browser keeps its answer
 * from the page. Servers calling the API send no Origin and are unaffected.
 */
export function widgetCors(allowedOrigins: readonly string[]): RequestHandler {
  const allowed = new Set(allowedOrigins);
  return (req, res, next) => {
    res.vary('Origin');
    const origin = req.get('origin');
    const listed = origin !== undefined && allowed.has(origin);
    if (listed) res.set({ 'Access-Control-Allow-Origin': origin, 'Access-Control-Expose-Headers': 'Retry-After' });
    if (req.method !== 'OPTIONS') return next();
    if (!listed) {
      res.status(403).json({ error: 'origin_not_allowed', message: 'This origin may not call the widget API from a browser; list it in the routing file\'s widget.allowedOrigins.' });
      return;
    }
    res
      .set({ 'Access-Control-Allow-Headers': 'Content-Type, Authorization, Idempotency-Key', 'Access-Control-Allow-Methods': 'GET, POST, OPTIONS', 'Access-Control-Max-Age': '600' })
      .status(204)
      .end();
  };
}

/**
 * The widget's JSON API. POST /api/widget/tickets files a ticket (201 with its id and an
 * access token; 400 with a message per field, `body` for a body that is not a JSON object;
 * 413 past the body limit; 429 past the per-address limit).
 * An Idempotency-Key header makes a retried submission return the same ticket; the key
 * counts only for the same customer sending the same form.
 */
export function widgetApi(ctx: DomainContext, opts: { limiter?: RateLimiter; tokenSecret?: string; expertsConnected?: boolean } = {}): Router {
  const connected = opts.expertsConnected ?? true;
  const tokenSecret = opts.tokenSecret ?? randomBytes(32).toString('hex');
  const limiter = opts.limiter ?? new RateLimiter(5, 5);
  const router = Router();
  router.use('/api/widget', widgetCors(ctx.routing.widget.allowedOrigins));

  router.get('/api/widget/categories', async (_req, res) => {
    const categories = await ctx.db.models.Category.findAll({ where: { active: true }, order: [['name', 'ASC']], attributes: ['key', 'name'] });
    res.json({ categories: categories.map((c) => ({ key: c.key, name: c.name })) });
  });

  router.post('/api/widget/tickets', jsonBody({ limitBytes: TICKET_BODY_LIMIT_BYTES, hint: 'A description can be at most 4000 characters.' }), async (req, res) => {
    const wait = limiter.take(clientKey(req.ip));
    if (wait > 0) {
      res.set('Retry-After', String(Math.ceil(wait / 1000))).status(429).json({ error: 'rate_limited', message: 'Too many tickets from this address; please try again shortly.' });
      return;
    }
    const parsed = newTicket.safeParse(req.body ?? {});
    const errors: Record<string, string> = {};
    if (!parsed.success) for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? 'body')] ??= issue.message;
    // Every bad field in one answer: the category too, whatever else is wrong.
    const categoryKey = (req.body as { category?: unknown } | undefined)?.category;
    const category = typeof categoryKey === 'string' ? ((await routingSnapshot(ctx)).byKey.get(categoryKey) ?? (await routingSnapshot(ctx, { fresh: true })).byKey.get(categoryKey)) : undefined;
    if (typeof categoryKey === 'string' && categoryKey !== '' && !category?.active) errors.category ??= 'We do not take tickets in that category.';
    if (!parsed.success || Object.keys(errors).length > 0) {
      res.status(400).json({ error: 'invalid', errors });
      return;
    }
    const key = req.get('Idempotency-Key');
    const keyed = !!key && /^[\w-]{8,100}$/.test(key);
    const externalId = keyed ? submissionId(key, parsed.data) : randomUUID();
    const token = keyed ? submissionToken(tokenSecret, externalId) : randomBytes(32).toString('base64url');
    const filing = await fileTicket(ctx, {
      source: 'widget',
      externalId,
      categoryKey: parsed.data.category,
      description: parsed.data.description,
      customer: { name: parsed.data.name, email: parsed.data.email.toLowerCase(), phone: parsed.data.phone ?? null },
      accessTokenHash: hashAccessToken(token),
    });
    if (filing.outcome !== 'filed') {
      res.status(400).json({ error: 'invalid', errors: { category: 'We do not take tickets in that category.' } });
      return;
    }
    const { ticket, created } = filing;
    if (!created && !sameSubmission(ticket, parsed.data, category?.id)) {
      res.status(422).json({ error: 'idempotency_key_reused', message: 'This Idempotency-Key was already used for a different ticket. Send a new problem with a new key.' });
      return;
    }
    if (!created) {
      // A retry of a submission already filed: the same token, for a day (as long as a client
      // retries; the key and the form must not be a way to the ticket for ever), and unless
      // the secret it was made with has changed since (SESSION_SECRET rotated).
      const recent = ctx.now().getTime() - ticket.createdAt.getTime() < RETRY_TOKEN_WINDOW_MS;
      const same = recent && ticket.accessTokenHash === hashAccessToken(token);
      res.status(200).json({ ticket: ticketPublicId(ticket.id), ...widgetStatus(ticket.status, connected), duplicate: true, ...(same ? { token } : {}) });
      return;
    }
    res.status(201).json({ ticket: ticketPublicId(ticket.id), ...widgetStatus(ticket.status, connected), token });
  });
  return router;
}
