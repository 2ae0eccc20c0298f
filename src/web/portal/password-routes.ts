import { Router, type ErrorRequestHandler, type Response } from 'express';
import { checkForgot, checkPasswordReset, FORGOT_FIELDS, pickFields, RESET_FIELDS, type FieldErrors, type FormInput } from '../../domain/accounts/account-form.ts';
import { requestPasswordReset } from '../../domain/accounts/request-password-reset.ts';
import { resetLinkWorks, resetPassword } from '../../domain/accounts/reset-password.ts';
import { startSession } from '../../domain/accounts/sessions.ts';
import { clientKey, RateLimiter } from '../../lib/rate-limiter.ts';
import { checkCsrf, formFields, loadSession, noStore, parseForm, securityHeaders, type FieldSpec, type PortalKit } from './portal-kit.ts';

type ForgotField = (typeof FORGOT_FIELDS)[number];
type ResetField = (typeof RESET_FIELDS)[number];

const FORGOT_SPECS: readonly FieldSpec[] = [{ name: 'email', label: 'Email address', type: 'email', autocomplete: 'email', required: true, maxlength: 320 }];
const RESET_SPECS: readonly FieldSpec[] = [
  { name: 'newPassword', label: 'New password', type: 'password', autocomplete: 'new-password', required: true, hint: 'At least 10 characters.' },
  { name: 'newPasswordAgain', label: 'New password again', type: 'password', autocomplete: 'new-password', required: true },
];

/** Where a reset sends its (newly signed-in) owner: the profile, which says the password is changed. */
export const AFTER_RESET = '/profile?saved=password';

/**
 * How many reset links may be asked for: per email (so no one fills an inbox, nor keeps
 * replacing its owner's link) and per client address (so no one mails every address they
 * know). Token buckets, refilled over an hour; in memory per process, like the login throttle.
 */
export interface ResetLimits {
  perEmail: RateLimiter;
  perAddress: RateLimiter;
}
export const resetLimits = (): ResetLimits => ({ perEmail: new RateLimiter(3, 3 / 60), perAddress: new RateLimiter(10, 10 / 60) });

/**
 * `/password/forgot` (the email; always the same answer, whether an account has it or not)
 * and `/password/reset/:token` (the emailed link: a new password twice; on success every
 * session of the account ends and this browser is signed in with a new one).
 */
export function passwordRoutes(kit: PortalKit, limits: ResetLimits = resetLimits()): Router {
  const router = Router();
  const chain = [securityHeaders, noStore, loadSession(kit)];

  const showForgot = (res: Response, status: number, input: FormInput<ForgotField> = {}, errors: FieldErrors<ForgotField> = {}, limitMessage?: string) => {
    const form = formFields(FORGOT_SPECS, input, errors);
    // Over a limit, the summary says so and leads to the one field; the field itself is fine.
    const errorList = limitMessage ? [{ target: 'f-email', message: limitMessage }] : form.errorList;
    kit.page(res, status, 'portal-password-forgot', { title: 'Reset your password', csrf: kit.csrfToken(res), fields: form.fields, errorList, hasErrors: errorList.length > 0 });
  };
  const showMailOff = (res: Response) => kit.page(res, 200, 'portal-password-forgot', { title: 'Reset your password', mailOff: true });
  const showReset = (res: Response, status: number, token: string, errors: FieldErrors<ResetField> = {}) =>
    kit.page(res, status, 'portal-password-reset', { title: 'Choose a new password', csrf: kit.csrfToken(res), action: `/password/reset/${token}`, ...formFields(RESET_SPECS, {}, errors) });
  const showInvalid = (res: Response) => kit.page(res, 404, 'portal-password-invalid', { title: 'This link does not work' });

  router.get('/password/forgot', ...chain, (_req, res) => (kit.mail ? showForgot(res, 200) : showMailOff(res)));

  router.post('/password/forgot', ...chain, parseForm(kit), checkCsrf(kit), async (req, res) => {
    // No one could receive a link: none is made, and the page says why.
    if (!kit.mail) return showMailOff(res);
    const input = pickFields(req.body, FORGOT_FIELDS);
    const checked = checkForgot(input);
    if (!checked.ok) return showForgot(res, 400, input, checked.errors);
    const email = checked.value.email;
    // The address first, so that one address trying many emails does not use up theirs. The
    // same message whichever limit it is, and whether or not the email has an account.
    const wait = limits.perAddress.take(`ip:${clientKey(req.ip)}`) || limits.perEmail.take(`email:${email}`);
    if (wait > 0) {
      res.set('Retry-After', String(Math.ceil(wait / 1000)));
      const minutes = Math.ceil(wait / 60_000);
      return showForgot(res, 429, input, {}, `Too many reset links were asked for. Please wait ${minutes} minute${minutes === 1 ? '' : 's'} and try again.`);
    }
    await requestPasswordReset(kit.ctx, email);
    kit.page(res, 200, 'portal-password-sent', { title: 'Check your email', email });
  });

  router.get('/password/reset/:token', ...chain, async (req, res) => {
    const token = String(req.params.token);
    if (!(await resetLinkWorks(kit.ctx, token))) return showInvalid(res);
    showReset(res, 200, token);
  });

  router.post('/password/reset/:token', ...chain, parseForm(kit), checkCsrf(kit), async (req, res) => {
    const token = String(req.params.token);
    if (!(await resetLinkWorks(kit.ctx, token))) return showInvalid(res);
    const checked = checkPasswordReset(pickFields(req.body, RESET_FIELDS));
    if (!checked.ok) return showReset(res, 400, token, checked.errors);
    const result = await resetPassword(kit.ctx, token, checked.value);
    // Used or expired between the check and now (two tabs at once): the same page.
    if (result.outcome === 'invalid') return showInvalid(res);
    // Whoever opened the link has just proved they read the account's mail and set its
    // password: signing them in adds nothing an attacker would not have, and replaces
    // whatever session this browser had (no fixation).
    const session = await startSession(kit.ctx, result.accountId, kit.cookies.read(req, kit.cookies.session));
    kit.cookies.setSession(res, session.id, session.expiresAt);
    res.redirect(303, AFTER_RESET);
  });

  // A reset link mangled on the way (bad percent-encoding) is a link that does not work. Its
  // route never ran (the path did not decode), so the page's headers are set here.
  const mangledLink: ErrorRequestHandler = (err, req, res, next) => {
    if (res.headersSent || !(err instanceof URIError) || !req.path.startsWith('/password/reset/')) return next(err);
    securityHeaders(req, res, () => noStore(req, res, () => showInvalid(res)));
  };
  router.use(mangledLink);
  return router;
}
