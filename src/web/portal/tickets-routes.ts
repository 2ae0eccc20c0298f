import { Router, type ErrorRequestHandler, type Request, type RequestHandler, type Response } from 'express';
import { UniqueConstraintError } from 'sequelize';
import { pickFields } from '../../domain/accounts/account-form.ts';
import { readCustomerTranscript, type CustomerTranscriptMessage } from '../../domain/relay/read-transcript.ts';
import { receiveMessage, type ReceiveOutcome } from '../../domain/relay/receive-message.ts';
import { routingSnapshot } from '../../domain/routing-snapshot.ts';
import { cancelTicket } from '../../domain/tickets/cancel-ticket.ts';
import { customerTicket, listCustomerTickets, OPEN_STATUSES, type CustomerTicket } from '../../domain/tickets/customer-tickets.ts';
import { fileTicket } from '../../domain/tickets/file-ticket.ts';
import { parseTicketPublicId, ticketPublicId } from '../../domain/tickets/ticket-public-id.ts';
import { toPlainText } from '../../lib/plain-text.ts';
import { RateLimiter } from '../../lib/rate-limiter.ts';
import { scriptedPageSecurityHeaders } from '../page-security.ts';
import { publicFile } from '../views.ts';
import { checkCsrf, loadSession, noStore, parseForm, requireSignIn, securityHeaders, sessionOf, type PortalKit } from './portal-kit.ts';
import { checkNewTicket, checkReply, DESCRIPTION_MAX, NEW_TICKET_FIELDS, newSubmissionId, REPLY_MAX, submissionIdOf, type NewTicketField } from './ticket-form.ts';
import { formatTime, statusWords, ticketPageData, type ReplyBox } from './ticket-page-data.ts';

/** Filing limit per account: 5 at once, then one more every 2 minutes (5 per 10 minutes). */
export const FILING_LIMIT = { capacity: 5, perMinute: 0.5 };
/** Replies per account: 30 at once, 30 a minute (as the widget allows per ticket). */
export const REPLY_LIMIT = { capacity: 30, perMinute: 30 };

export interface TicketLimits {
  filing: RateLimiter;
  replies: RateLimiter;
}

/** Statuses in which the customer may still write. */
const WRITABLE = new Set(['open', 'dispatched', 'booked', 'close_pending']);

/** A form sent by the ticket page's script, which wants JSON back rather than a page. */
const wantsJson = (req: Request) => (req.get('accept') ?? '').includes('application/json');

/**
 * The customer's tickets: `/tickets` (open ones and the history), `/tickets/new` (filing),
 * `/tickets/:id` (the status, the expert's alias, the conversation, a reply box, Withdraw
 * while unbooked, the survey once resolved), its JSON for the page's script
 * (`/tickets/:id/messages.json?after=<cursor>`), and the script itself. A customer only
 * ever reaches their own tickets: another's, an unknown or a malformed id all get the same 404.
 */
export function ticketsRoutes(kit: PortalKit, limits: TicketLimits = defaultLimits()): Router {
  const router = Router();
  const signedIn = [securityHeaders, noStore, loadSession(kit), requireSignIn];
  // The ticket page runs its script (the live conversation): the same headers, but scripts
  // and fetches from this origin allowed. Also where a reply with errors shows the page again.
  const ticketPage = [scriptedPageSecurityHeaders, noStore, loadSession(kit), requireSignIn];
  const script = publicFile('ticket-page.js');

  const customerIdOf = (res: Response) => sessionOf(res)!.account.customerId;
  const notFound = (res: Response) => kit.problem(res, 404, 'Ticket not found', 'There is no ticket with this number in your account. Check the link, or see all your tickets.');

  /** The signed-in customer's ticket named by `:id` (res.locals.ticket), or the 404 page. */
  const ownTicket: RequestHandler = async (req, res, next) => {
    const id = parseTicketPublicId(String(req.params.id ?? ''));
    const ticket = id === undefined ? undefined : await customerTicket(kit.ctx, customerIdOf(res), id);
    if (!ticket) return notFound(res);
    res.locals.ticket = ticket;
    next();
  };

  router.get('/ticket-page.js', (_req, res) => {
    res.set({ 'Cache-Control': 'public, max-age=3600', 'X-Content-Type-Options': 'nosniff' }).type('text/javascript').send(script);
  });

  router.get('/tickets', ...signedIn, async (req, res) => {
    const session = sessionOf(res)!;
    const tickets = (await listCustomerTickets(kit.ctx, session.account.customerId)).map((t) => ({
      ...t,
      statusText: statusWords(t.status, kit.expertsConnected),
      filedIso: t.filedAt.toISOString(),
      filedText: formatTime(t.filedAt),
      summary: excerpt(t.description, 140),
    }));
    const open = tickets.filter((t) => OPEN_STATUSES.includes(t.status));
    kit.page(res, 200, 'portal-tickets', {
      title: 'Your tickets',
      account: { name: `${session.account.firstName} ${session.account.lastName}`, city: session.account.city, email: session.account.email },
      open,
      history: tickets,
      notice: req.query.withdrawn ? 'Your ticket is withdrawn.' : undefined,
    });
  });

  const showNewTicket = async (res: Response, status: number, opts: { input?: Partial<Record<NewTicketField, string>>; errors?: Partial<Record<NewTicketField, string>>; submission?: string; limited?: string } = {}) => {
    const input = opts.input ?? {};
    const errors = opts.errors ?? {};
    const categories = [...(await routingSnapshot(kit.ctx)).byKey.values()]
      .filter((c) => c.active)
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((c) => ({ key: c.key, name: c.name, selected: c.key === input.category }));
    const errorList = [
      ...(errors.category ? [{ target: 'f-category', message: errors.category }] : []),
      ...(errors.description ? [{ target: 'f-description', message: errors.description }] : []),
    ];
    kit.page(res, status, 'portal-ticket-new', {
      title: 'File a new ticket',
      csrf: kit.csrfToken(res),
      submission: opts.submission ?? newSubmissionId(),
      categories,
      noneSelected: !categories.some((c) => c.selected),
      description: input.description ?? '',
      descriptionMax: DESCRIPTION_MAX,
      errors,
      errorList,
      hasErrors: errorList.length > 0 || !!opts.limited,
      limited: opts.limited,
    });
  };

  router.get('/tickets/new', ...signedIn, async (_req, res) => showNewTicket(res, 200));

  router.post('/tickets/new', ...signedIn, parseForm(kit), checkCsrf(kit), async (req, res) => {
    const session = sessionOf(res)!;
    // As plain text first (no NUL or other control character): what is checked is what is stored.
    const input = Object.fromEntries(Object.entries(pickFields(req.body, NEW_TICKET_FIELDS)).map(([k, v]) => [k, toPlainText(v ?? '')])) as Partial<Record<NewTicketField, string>>;
    const submission = submissionIdOf(req.body);
    const active = new Set([...(await routingSnapshot(kit.ctx, { fresh: true })).byKey.values()].filter((c) => c.active).map((c) => c.key));
    const checked = checkNewTicket(input, active);
    if (!checked.ok) return showNewTicket(res, 400, { input, errors: checked.errors, submission });
    const wait = limits.filing.take(`account:${session.accountId}`);
    if (wait > 0) {
      res.set('Retry-After', String(Math.ceil(wait / 1000)));
      const minutes = Math.ceil(wait / 60_000);
      return showNewTicket(res, 429, { input, submission, limited: `You have filed several tickets in the last few minutes. Please wait ${minutes} minute${minutes === 1 ? '' : 's'} and send this form again: what you typed is kept below.` });
    }
    const filing = await fileTicket(kit.ctx, {
      source: 'portal',
      // The account and the form's submission id: the same form sent twice files one ticket.
      externalId: `portal:${session.accountId}:${submission}`,
      categoryKey: checked.value.category,
      description: checked.value.description,
      customer: { customerId: session.account.customerId },
    });
    if (filing.outcome !== 'filed') return showNewTicket(res, 400, { input, errors: { category: 'Choose one of the categories in the list.' }, submission });
    res.redirect(303, `/tickets/${ticketPublicId(filing.ticket.id)}`);
  });

  const showTicket = async (res: Response, status: number, reply: ReplyBox = {}) => {
    const ticket = res.locals.ticket as CustomerTicket;
    const transcript = await readCustomerTranscript(kit.ctx, ticket, 0);
    const data = ticketPageData(ticket, transcript, reply, kit.expertsConnected);
    kit.page(res, status, 'portal-ticket', { ...data, csrf: kit.csrfToken(res), submission: reply.submission ?? newSubmissionId(), replyMax: REPLY_MAX });
  };

  router.get('/tickets/:id', ...ticketPage, ownTicket, async (req, res) => {
    const notice = req.query.sent ? 'Your message is sent.' : req.query.withdrawn ? 'You withdrew this ticket. No expert will take it now.' : undefined;
    await showTicket(res, 200, { notice });
  });

  router.get('/tickets/:id/messages.json', securityHeaders, noStore, loadSession(kit), async (req, res) => {
    if (!sessionOf(res)) return res.status(401).json({ error: 'signed_out', message: 'Please log in again.' });
    const id = parseTicketPublicId(String(req.params.id ?? ''));
    const ticket = id === undefined ? undefined : await customerTicket(kit.ctx, customerIdOf(res), id);
    if (!ticket) return res.status(404).json({ error: 'not_found', message: 'There is no ticket with this number in your account.' });
    const transcript = await readCustomerTranscript(kit.ctx, ticket, Number(req.query.after ?? 0));
    res.json({
      ticket: ticket.publicId,
      status: ticket.status,
      statusText: statusWords(ticket.status, kit.expertsConnected),
      expert: transcript.expert ?? ticket.expert,
      surveyHref: ticket.surveyUrl ? new URL(ticket.surveyUrl).pathname : null,
      canReply: WRITABLE.has(ticket.status),
      canCancel: ticket.status === 'open' || ticket.status === 'dispatched',
      cursor: transcript.cursor,
      messages: transcript.messages.map(messageJson),
    });
  });

  router.post('/tickets/:id/messages', ...ticketPage, ownTicket, parseForm(kit), checkCsrf(kit), async (req, res) => {
    const ticket = res.locals.ticket as CustomerTicket;
    const session = sessionOf(res)!;
    const sent = pickFields(req.body, ['text'] as const).text;
    const text = sent === undefined ? undefined : toPlainText(sent);
    const submission = submissionIdOf(req.body);
    const refuse = async (status: number, error: string) => {
      if (wantsJson(req)) return res.status(status).json({ error: status === 429 ? 'rate_limited' : status === 409 ? 'closed' : 'invalid', errors: { text: error } });
      await showTicket(res, status, { value: text ?? '', error, submission });
    };
    const checked = checkReply(text);
    if (!checked.ok) return refuse(400, checked.error);
    const wait = limits.replies.take(`account:${session.accountId}`);
    if (wait > 0) {
      res.set('Retry-After', String(Math.ceil(wait / 1000)));
      return refuse(429, 'You are sending messages very fast. Please wait a moment and send this one again.');
    }
    const sourceKey = `portal:${ticket.id}:${submission}`;
    let result: ReceiveOutcome;
    try {
      result = await kit.ctx.db.unitOfWork((transaction) => receiveMessage(kit.ctx, transaction, { ticketId: ticket.id, from: { side: 'customer' }, body: checked.text, via: 'portal', sourceKey }));
    } catch (err) {
      // The same form sent twice at the same moment: the unique source key lets one through.
      const stored = err instanceof UniqueConstraintError ? await kit.ctx.db.ticketMessages.bySourceKeys([sourceKey]) : undefined;
      const message = stored?.get(sourceKey);
      if (!message) throw err;
      result = { outcome: 'duplicate', message };
    }
    if (result.outcome === 'empty') return refuse(400, 'Write your message before sending it.');
    if (!('message' in result)) return refuse(409, `Ticket ${ticket.publicId} is closed, so your message was not passed on. Please file a new ticket if you still need help.`);
    const m = result.message;
    if (wantsJson(req)) {
      return res.status(result.outcome === 'duplicate' ? 200 : 201).json({ message: messageJson({ id: m.id, from: 'you', name: 'You', text: m.originalBody ?? m.body, at: m.createdAt }), submission: newSubmissionId() });
    }
    res.redirect(303, `/tickets/${ticket.publicId}?sent=1#conversation`);
  });

  router.get('/tickets/:id/cancel', ...signedIn, ownTicket, (_req, res) => {
    const ticket = res.locals.ticket as CustomerTicket;
    if (ticket.status !== 'open' && ticket.status !== 'dispatched') return res.redirect(303, `/tickets/${ticket.publicId}`);
    kit.page(res, 200, 'portal-ticket-cancel', { title: `Withdraw ticket ${ticket.publicId}`, ticket: { publicId: ticket.publicId, categoryName: ticket.categoryName, summary: excerpt(ticket.description, 200) }, csrf: kit.csrfToken(res) });
  });

  router.post('/tickets/:id/cancel', ...signedIn, ownTicket, parseForm(kit), checkCsrf(kit), async (_req, res) => {
    const ticket = res.locals.ticket as CustomerTicket;
    const outcome = await cancelTicket(kit.ctx, { ticketId: ticket.id, customerId: customerIdOf(res) });
    if (outcome === 'cancelled') return res.redirect(303, `/tickets/${ticket.publicId}?withdrawn=1`);
    if (outcome === 'not_found') return notFound(res);
    if (outcome === 'taken') return kit.problem(res, 409, 'An expert has already taken this ticket', `An expert booked ticket ${ticket.publicId} before it could be withdrawn, so it stays open. You can tell them in the conversation that you no longer need help.`);
    kit.problem(res, 409, 'This ticket is already closed', `Ticket ${ticket.publicId} is resolved or withdrawn already; nothing changed.`);
  });

  // A ticket id that is not even valid percent-encoding fails before any route runs: it is
  // one more id that names no ticket of theirs, so the same 404 page (or the login page).
  const badId: ErrorRequestHandler = (err, req, res, next) => {
    if (!(err instanceof URIError) || !req.path.startsWith('/tickets/')) return next(err);
    const chain = [securityHeaders, noStore, loadSession(kit), requireSignIn] as RequestHandler[];
    const run = (i: number): void => {
      if (i === chain.length) return notFound(res);
      void Promise.resolve(chain[i]!(req, res, (e?: unknown) => (e ? next(e) : run(i + 1)))).catch(next);
    };
    run(0);
  };
  router.use(badId);

  return router;
}

export function defaultLimits(): TicketLimits {
  return { filing: new RateLimiter(FILING_LIMIT.capacity, FILING_LIMIT.perMinute), replies: new RateLimiter(REPLY_LIMIT.capacity, REPLY_LIMIT.perMinute) };
}

function messageJson(m: CustomerTranscriptMessage) {
  return { id: m.id, from: m.from, name: m.name, text: m.text, at: m.at.toISOString(), atText: formatTime(m.at) };
}

/** A description on one line, cut to `max` characters. */
export function excerpt(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  const chars = [...line];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : line;
}
