import { Router, type Response } from 'express';
import { LOGIN_FIELDS, pickFields } from '../../domain/accounts/account-form.ts';
import { checkCredentials, endSession, startSession } from '../../domain/accounts/sessions.ts';
import { normaliseEmail } from '../../domain/customers/rules.ts';
import { toPlainText } from '../../lib/plain-text.ts';
import { clientKey } from '../../lib/rate-limiter.ts';
import { checkCsrf, formFields, loadSession, noStore, parseForm, securityHeaders, sessionOf, type FieldSpec, type PortalKit } from './portal-kit.ts';

/** Where a customer lands once signed in: their tickets. */
export const AFTER_SIGN_IN = '/tickets';

const SPECS: readonly FieldSpec[] = [
  { name: 'email', label: 'Email address', type: 'email', autocomplete: 'username', required: true, maxlength: 320 },
  { name: 'password', label: 'Password', type: 'password', autocomplete: 'current-password', required: true },
];

/** The one message for a wrong email, a wrong password, or both: it never says which. */
export const WRONG_CREDENTIALS = 'The email or password is wrong.';

/**
 * `/login` (a new session on success, replacing any the browser had; after 5 failures for an
 * email, or 20 from an address, within 15 minutes: locked for 15 minutes, whatever is sent)
 * and `POST /logout`.
 */
export function loginRoutes(kit: PortalKit): Router {
  const router = Router();
  const show = (res: Response, status: number, input: { email?: string } = {}, message?: string) =>
    kit.page(res, status, 'portal-login', { title: 'Log in', csrf: kit.csrfToken(res), message, ...formFields(SPECS, input, {}), hasErrors: !!message });

  router.get('/login', securityHeaders, noStore, loadSession(kit), (_req, res) => {
    if (sessionOf(res)) return res.redirect(303, AFTER_SIGN_IN);
    show(res, 200);
  });

  router.post('/login', securityHeaders, noStore, loadSession(kit), parseForm(kit), checkCsrf(kit), async (req, res) => {
    const input = pickFields(req.body, LOGIN_FIELDS);
    const email = normaliseEmail(toPlainText(input.email ?? '')) ?? '';
    // An email key no longer than an email can be: a flood of long ones cannot grow memory.
    const keys = { email: `email:${email.slice(0, 320)}`, address: `ip:${clientKey(req.ip)}` };
    const wait = Math.max(kit.throttle.perEmail.lockedFor([keys.email]), kit.throttle.perAddress.lockedFor([keys.address]));
    if (wait > 0) {
      res.set('Retry-After', String(Math.ceil(wait / 1000)));
      return show(res, 429, input, `Too many failed attempts. For your security, please wait ${Math.ceil(wait / 60_000)} minutes and try again.`);
    }
    const account = email && input.password ? await checkCredentials(kit.ctx, email, input.password) : undefined;
    if (!account) {
      kit.throttle.perEmail.fail([keys.email]);
      kit.throttle.perAddress.fail([keys.address]);
      return show(res, 401, input, WRONG_CREDENTIALS);
    }
    kit.throttle.perEmail.clear(keys.email);
    const session = await startSession(kit.ctx, account.id, kit.cookies.read(req, kit.cookies.session));
    kit.cookies.setSession(res, session.id, session.expiresAt);
    res.redirect(303, AFTER_SIGN_IN);
  });

  router.post('/logout', securityHeaders, noStore, loadSession(kit), parseForm(kit), checkCsrf(kit), async (req, res) => {
    const id = kit.cookies.read(req, kit.cookies.session);
    if (id) await endSession(kit.ctx, id);
    kit.cookies.clearSession(res);
    res.redirect(303, '/');
  });
  return router;
}
