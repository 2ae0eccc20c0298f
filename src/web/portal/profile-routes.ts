import { Router, type Response } from 'express';
import { checkPasswordChange, checkProfile, PASSWORD_FIELDS, pickFields, PROFILE_FIELDS, type FieldErrors, type FormInput } from '../../domain/accounts/account-form.ts';
import { changePassword, updateAccountDetails } from '../../domain/accounts/update-account.ts';
import { checkCsrf, formFields, loadSession, noStore, parseForm, requireSignIn, securityHeaders, sessionOf, type FieldSpec, type PortalKit } from './portal-kit.ts';
import { SIGNUP_SPECS } from './signup-routes.ts';

type ProfileField = (typeof PROFILE_FIELDS)[number];
type PasswordField = (typeof PASSWORD_FIELDS)[number];

const DETAIL_SPECS = SIGNUP_SPECS.filter((s) => (PROFILE_FIELDS as readonly string[]).includes(s.name));
const PASSWORD_SPECS: readonly FieldSpec[] = [
  { name: 'currentPassword', label: 'Current password', type: 'password', autocomplete: 'current-password', required: true },
  { name: 'newPassword', label: 'New password', type: 'password', autocomplete: 'new-password', required: true, hint: 'At least 10 characters.' },
  { name: 'newPasswordAgain', label: 'New password again', type: 'password', autocomplete: 'new-password', required: true },
];

/** `/profile`: the account's details (editable) and a password change that needs the current password. */
export function profileRoutes(kit: PortalKit): Router {
  const router = Router();
  const chain = [securityHeaders, noStore, loadSession(kit), requireSignIn];

  const show = (res: Response, status: number, opts: { details?: FormInput<ProfileField>; detailErrors?: FieldErrors<ProfileField>; passwordErrors?: FieldErrors<PasswordField>; notice?: string } = {}) => {
    const account = sessionOf(res)!.account;
    const saved: FormInput<ProfileField> = {};
    for (const f of PROFILE_FIELDS) saved[f] = account[f] ?? '';
    const details = formFields(DETAIL_SPECS, opts.details ?? saved, opts.detailErrors ?? {});
    const password = formFields(PASSWORD_SPECS, {}, opts.passwordErrors ?? {});
    kit.page(res, status, 'portal-profile', {
      title: 'Your profile',
      csrf: kit.csrfToken(res),
      notice: opts.notice,
      email: account.email,
      confirmed: !!account.emailConfirmedAt,
      customerId: account.customerId,
      details: details.fields,
      password: password.fields,
      errorList: [...details.errorList, ...password.errorList],
      hasErrors: details.hasErrors || password.hasErrors,
    });
  };

  router.get('/profile', ...chain, (req, res) => show(res, 200, { notice: req.query.saved === 'details' ? 'Your details are saved.' : req.query.saved === 'password' ? 'Your password is changed.' : undefined }));

  router.post('/profile', ...chain, parseForm(kit), checkCsrf(kit), async (req, res) => {
    const input = pickFields(req.body, PROFILE_FIELDS);
    const checked = checkProfile(input);
    if (!checked.ok) return show(res, 400, { details: input, detailErrors: checked.errors });
    await updateAccountDetails(kit.ctx, sessionOf(res)!.accountId, checked.value);
    res.redirect(303, '/profile?saved=details');
  });

  router.post('/profile/password', ...chain, parseForm(kit), checkCsrf(kit), async (req, res) => {
    const checked = checkPasswordChange(pickFields(req.body, PASSWORD_FIELDS));
    if (!checked.ok) return show(res, 400, { passwordErrors: checked.errors });
    const session = sessionOf(res)!;
    const outcome = await changePassword(kit.ctx, session.accountId, checked.value, session.idHash);
    if (outcome === 'wrong_password') return show(res, 400, { passwordErrors: { currentPassword: 'Your current password is not right.' } });
    res.redirect(303, '/profile?saved=password');
  });
  return router;
}
