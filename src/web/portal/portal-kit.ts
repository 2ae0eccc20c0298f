import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import express, { type CookieOptions, type ErrorRequestHandler, type Request, type RequestHandler, type Response } from 'express';
import { pageSecurityHeaders } from '../page-security.ts';
import { readSession, type ActiveSession } from '../../domain/accounts/sessions.ts';
import type { DomainContext } from '../../domain/domain-context.ts';
import type { Logger } from '../../lib/logger.ts';
import { LoginThrottle } from '../../lib/login-throttle.ts';
import { toPlainText } from '../../lib/plain-text.ts';
import { loadViews, type RenderView } from '../views.ts';

/** What every portal page group is built with (see portalRoutes). */
export interface PortalKit {
  ctx: DomainContext;
  logger: Logger | undefined;
  /** Whether mail is on (SMTP_URL): without it no account email is sent, and the log says so. */
  mail: boolean;
  /** Whether experts can see tickets (Slack is on): without it the pages say a ticket is stored and waits. */
  expertsConnected: boolean;
  render: RenderView;
  cookies: PortalCookies;
  /** Failed sign-ins per email (5 → locked 15 minutes) and per client address (20 → 15 minutes). */
  throttle: { perEmail: LoginThrottle; perAddress: LoginThrottle };
  csrfToken(res: Response): string;
  /** A page: the layout's data (title, nav, the logout form's token) added to the view's. */
  page(res: Response, status: number, view: string, data: Record<string, unknown>): void;
  problem(res: Response, status: number, heading: string, message: string): void;
}

/** The most a portal form's body may be: the sign-up form's longest valid answer is under 8 KB even percent-encoded. */
export const PORTAL_BODY_LIMIT_BYTES = 32 * 1024;

/** The portal's headers: those of every page (web/page-security.ts). */
export const securityHeaders = pageSecurityHeaders;

/** Pages hold a person's details: never cached. */
export const noStore: RequestHandler = (_req, res, next) => {
  res.set('Cache-Control', 'no-store');
  next();
};

/** The cookies' names and flags: `__Host-` names and `secure` when PUBLIC_URL is https. */
export class PortalCookies {
  readonly session: string;
  readonly csrf: string;
  private readonly base: CookieOptions;

  constructor(secure: boolean) {
    const prefix = secure ? '__Host-' : '';
    this.session = `${prefix}helpnet_session`;
    this.csrf = `${prefix}helpnet_csrf`;
    this.base = { httpOnly: true, sameSite: 'lax', secure, path: '/' };
  }

  read(req: Request, name: string): string | undefined {
    const header = req.headers.cookie;
    if (!header) return undefined;
    for (const part of header.split(';')) {
      const eq = part.indexOf('=');
      if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
    }
    return undefined;
  }

  setSession(res: Response, id: string, expiresAt: Date): void {
    res.cookie(this.session, id, { ...this.base, expires: expiresAt });
  }

  clearSession(res: Response): void {
    res.clearCookie(this.session, this.base);
  }

  setCsrf(res: Response, value: string): void {
    res.cookie(this.csrf, value, this.base);
  }
}

/** The session of this request (after loadSession), if signed in. */
export const sessionOf = (res: Response): ActiveSession | undefined => res.locals.session as ActiveSession | undefined;

export function createPortalKit(ctx: DomainContext, opts: { secret: string; secureCookies: boolean; mail: boolean; expertsConnected?: boolean; logger?: Logger | undefined; throttle?: PortalKit['throttle'] }): PortalKit {
  const render = loadViews(['portal-home', 'portal-signup', 'portal-signup-done', 'portal-confirm', 'portal-login', 'portal-profile', 'portal-problem', 'portal-password-forgot', 'portal-password-sent', 'portal-password-reset', 'portal-password-invalid', 'portal-tickets', 'portal-ticket-new', 'portal-ticket', 'portal-ticket-cancel', 'portal-join-contact', 'portal-join-skills', 'portal-join-experience', 'portal-join-references', 'portal-join-review', 'portal-join-saved', 'portal-join-confirm', 'portal-join-done']);
  const cookies = new PortalCookies(opts.secureCookies);
  const token = (basis: string) => createHmac('sha256', opts.secret).update(`portal-csrf:${basis}`).digest('base64url');
  const kit: PortalKit = {
    ctx,
    logger: opts.logger,
    mail: opts.mail,
    expertsConnected: opts.expertsConnected ?? true,
    render,
    cookies,
    throttle: opts.throttle ?? {
      perEmail: new LoginThrottle({ maxFailures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 }),
      perAddress: new LoginThrottle({ maxFailures: 20, windowMs: 15 * 60_000, lockMs: 15 * 60_000 }),
    },
    csrfToken(res) {
      return token(String(res.locals.csrfBasis));
    },
    page(res, status, view, data) {
      const session = sessionOf(res);
      const nav = session ? { signedIn: true, name: `${session.account.firstName} ${session.account.lastName}`, csrf: kit.csrfToken(res) } : { signedIn: false };
      res.status(status).type('html').send(render(view, { portal: true, nav, ...data }));
    },
    problem(res, status, heading, message) {
      kit.page(res, status, 'portal-problem', { title: heading, heading, message });
    },
  };
  return kit;
}

/**
 * Reads the session cookie (a live session → res.locals.session) and makes sure the browser
 * has a CSRF cookie for the forms shown before signing in. A form's token is an HMAC of the
 * session's CSRF secret, or of that cookie when signed out.
 */
export function loadSession(kit: PortalKit): RequestHandler {
  return async (req, res, next) => {
    const session = await readSession(kit.ctx, kit.cookies.read(req, kit.cookies.session));
    if (session) {
      res.locals.session = session;
      res.locals.csrfBasis = `s:${session.csrfSecret}`;
    } else {
      let anon = kit.cookies.read(req, kit.cookies.csrf);
      if (!anon || !/^[A-Za-z0-9_-]{43}$/.test(anon)) {
        anon = randomBytes(32).toString('base64url');
        // Only a page shown sets it: a POST without one fails the check anyway.
        if (req.method === 'GET' || req.method === 'HEAD') kit.cookies.setCsrf(res, anon);
        else anon = `missing:${anon}`;
      }
      res.locals.csrfBasis = `a:${anon}`;
    }
    next();
  };
}

/** Refuses a POST whose `_csrf` field is not this browser's token: a 403 page, and nothing changes. */
export function checkCsrf(kit: PortalKit): RequestHandler {
  return (req, res, next) => {
    const sent: unknown = (req.body as Record<string, unknown> | undefined)?._csrf;
    const expected = Buffer.from(kit.csrfToken(res));
    const given = Buffer.from(typeof sent === 'string' ? sent : '');
    if (String(res.locals.csrfBasis).startsWith('a:missing:') || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      kit.problem(res, 403, 'This form has expired', 'For your security, please go back, reload the page and send the form again.');
      return;
    }
    next();
  };
}

/**
 * The urlencoded body of a portal form; a body too large or unreadable is a page, not a
 * stack trace. `limits` for a form larger than the usual (the expert wizard's).
 */
export function parseForm(kit: PortalKit, limits: { bytes: number; fields: number } = { bytes: PORTAL_BODY_LIMIT_BYTES, fields: 40 }): RequestHandler {
  const body = express.urlencoded({ extended: false, limit: limits.bytes, parameterLimit: limits.fields });
  return (req, res, next) => {
    body(req, res, (err?: unknown) => {
      if (!err) return next();
      const { type, status } = err as { type?: unknown; status?: unknown };
      if (type === 'entity.too.large' || type === 'parameters.too.many') kit.problem(res, 413, 'What you sent is too long', 'Please go back and shorten what you typed.');
      else if (typeof status === 'number' && status >= 400 && status < 500) kit.problem(res, status, 'We could not read the form', 'Please go back and send the form again.');
      else next(err);
    });
  };
}

/** Pages for signed-in customers: anyone else is sent to the login page. */
export const requireSignIn: RequestHandler = (_req, res, next) => {
  if (!sessionOf(res)) {
    res.redirect(303, '/login');
    return;
  }
  next();
};

/** Our own failure on a portal page: a page, logged without the path (a confirmation link holds a token). */
export function portalErrors(kit: PortalKit): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    const status = typeof err?.status === 'number' && err.status >= 400 && err.status < 600 ? err.status : 500;
    // Only a confirmation link has a parameter: one mangled on the way (bad percent-encoding) is a link that does not work.
    if (status === 400 && err instanceof URIError) return kit.page(res, 404, 'portal-confirm', { title: 'This link does not work', invalid: true });
    if (status < 500) return kit.problem(res, status, 'We could not read your request', 'Please check the address and try again.');
    kit.logger?.error({ err, method: req.method }, 'portal page failed');
    kit.problem(res, 500, 'Something went wrong on our side', 'Please try again in a few minutes.');
  };
}

/** A form's fields for a view: each with its value (never a password's), error, and the summary linking to them. */
export interface FieldSpec {
  name: string;
  label: string;
  type?: 'text' | 'email' | 'password';
  autocomplete?: string;
  required?: boolean;
  hint?: string;
  maxlength?: number;
}

export function formFields(specs: readonly FieldSpec[], input: Record<string, string | undefined>, errors: Record<string, string | undefined>) {
  const fields = specs.map((s) => ({
    ...s,
    type: s.type ?? 'text',
    id: `f-${s.name}`,
    // As plain text (no NUL or other control character), escaped by the view.
    value: s.type === 'password' ? '' : toPlainText(input[s.name] ?? ''),
    error: errors[s.name],
  }));
  const errorList = fields.filter((f) => f.error).map((f) => ({ target: f.id, message: f.error }));
  return { fields, errorList, hasErrors: errorList.length > 0 };
}
