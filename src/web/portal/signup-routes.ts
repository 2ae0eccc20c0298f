import { Router, type Response } from 'express';
import { checkSignup, pickFields, SIGNUP_FIELDS, type FieldErrors, type FormInput } from '../../domain/accounts/account-form.ts';
import { confirmEmail } from '../../domain/accounts/confirm-email.ts';
import { signUp } from '../../domain/accounts/sign-up.ts';
import { clientKey, RateLimiter } from '../../lib/rate-limiter.ts';
import { checkCsrf, formFields, loadSession, noStore, parseForm, securityHeaders, type FieldSpec, type PortalKit } from './portal-kit.ts';

type SignupField = (typeof SIGNUP_FIELDS)[number];

export const SIGNUP_SPECS: readonly FieldSpec[] = [
  { name: 'firstName', label: 'First name', autocomplete: 'given-name', required: true, maxlength: 100 },
  { name: 'lastName', label: 'Last name', autocomplete: 'family-name', required: true, maxlength: 100 },
  { name: 'company', label: 'Company', autocomplete: 'organization', maxlength: 200 },
  { name: 'email', label: 'Email address', type: 'email', autocomplete: 'email', required: true, hint: 'We send a link to confirm it.', maxlength: 320 },
  { name: 'address', label: 'Street address', autocomplete: 'street-address', required: true, maxlength: 200 },
  { name: 'city', label: 'City', autocomplete: 'address-level2', required: true, maxlength: 100 },
  { name: 'state', label: 'State or region', autocomplete: 'address-level1', maxlength: 100 },
  { name: 'zip', label: 'ZIP or postal code', autocomplete: 'postal-code', required: true, maxlength: 20 },
  { name: 'country', label: 'Country', autocomplete: 'country-name', required: true, maxlength: 100 },
  { name: 'heardFrom', label: 'How did you hear of us?', maxlength: 200 },
  { name: 'password', label: 'Password', type: 'password', autocomplete: 'new-password', required: true, hint: 'At least 10 characters.' },
  { name: 'passwordAgain', label: 'Password again', type: 'password', autocomplete: 'new-password', required: true },
];

/**
 * Sign-ups per client address: 5 at once, then one every 12 minutes (5 an hour). Each makes
 * an account and sends an email, so a script cannot fill the table nor mail a list of
 * strangers from one address. In memory per process, like the login throttle.
 */
export const signupLimit = (): RateLimiter => new RateLimiter(5, 5 / 60);

/**
 * `/signup` (the form; a valid one → "check your email", the same page whether the email
 * already has an account or not) and `/confirm/:token` (the emailed link).
 */
export function signupRoutes(kit: PortalKit, perAddress: RateLimiter = signupLimit()): Router {
  const router = Router();
  const show = (res: Response, status: number, input: FormInput<SignupField> = {}, errors: FieldErrors<SignupField> = {}, limitMessage?: string) => {
    const form = formFields(SIGNUP_SPECS, input, errors);
    kit.page(res, status, 'portal-signup', { title: 'Sign up', csrf: kit.csrfToken(res), ...form, limitMessage, hasErrors: form.hasErrors || !!limitMessage });
  };

  router.get('/signup', securityHeaders, noStore, loadSession(kit), (_req, res) => show(res, 200));

  router.post('/signup', securityHeaders, noStore, loadSession(kit), parseForm(kit), checkCsrf(kit), async (req, res) => {
    const input = pickFields(req.body, SIGNUP_FIELDS);
    const checked = checkSignup(input);
    if (!checked.ok) return show(res, 400, input, checked.errors);
    // Only a form that would create something counts (mistakes being fixed do not). Over the
    // limit: the form again as sent (never the passwords), nothing created, nothing emailed.
    const wait = perAddress.take(`ip:${clientKey(req.ip)}`);
    if (wait > 0) {
      res.set('Retry-After', String(Math.ceil(wait / 1000)));
      const minutes = Math.ceil(wait / 60_000);
      return show(res, 429, input, {}, `Too many sign-ups were sent from your network. Please wait ${minutes} minute${minutes === 1 ? '' : 's'} and send the form again.`);
    }
    const result = await signUp(kit.ctx, checked.value, { mail: kit.mail });
    if (!kit.mail) kit.logger?.warn({ accountId: result.accountId }, 'mail is off (no SMTP_URL): the account email was not sent, and its confirmation link is shown nowhere');
    kit.page(res, 200, 'portal-signup-done', { title: 'Check your email', email: checked.value.email });
  });

  router.get('/confirm/:token', securityHeaders, noStore, loadSession(kit), async (req, res) => {
    const result = await confirmEmail(kit.ctx, String(req.params.token));
    if (result.outcome === 'invalid') return kit.page(res, 404, 'portal-confirm', { title: 'This link does not work', invalid: true });
    kit.page(res, 200, 'portal-confirm', { title: 'Email confirmed', customerId: result.customerId, claimedTickets: result.claimedTickets });
  });
  return router;
}
