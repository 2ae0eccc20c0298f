import { z } from 'zod';
import { toPlainText } from '../../lib/plain-text.ts';
import { normaliseEmail } from '../customers/rules.ts';

/**
 * The account forms' fields as people send them, checked: text as plain text, trimmed,
 * within its column; every message says what to do. Plain data in, plain data out.
 */

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 200;

const text = (label: string, max: number) =>
  z
    .string()
    .transform((v) => toPlainText(v).replace(/\s+/g, ' ').trim())
    .refine((v) => [...v].length <= max, `${label} can have at most ${max} characters.`);
const required = (label: string, max: number, message: string) => text(label, max).refine((v) => v.length > 0, message);
const optional = (label: string, max: number) => text(label, max).transform((v) => (v === '' ? null : v));

const email = z
  .string()
  .transform((v) => toPlainText(v).trim())
  .refine((v) => v.length > 0, 'Enter your email address.')
  .refine((v) => v.length <= 320, 'An email address has at most 320 characters.')
  .refine((v) => z.email().safeParse(v).success, 'Enter an email address like name@example.com.')
  .transform((v) => normaliseEmail(v)!);

const newPassword = z
  .string()
  .refine((v) => [...v].length >= PASSWORD_MIN, `Choose a password of at least ${PASSWORD_MIN} characters.`)
  .refine((v) => [...v].length <= PASSWORD_MAX, `A password can have at most ${PASSWORD_MAX} characters.`);

const details = {
  firstName: required('First name', 100, 'Enter your first name.'),
  lastName: required('Last name', 100, 'Enter your last name.'),
  company: optional('Company', 200),
  address: required('Address', 200, 'Enter your street address.'),
  city: required('City', 100, 'Enter your city.'),
  state: optional('State or region', 100),
  zip: required('ZIP or postal code', 20, 'Enter your ZIP or postal code.'),
  country: required('Country', 100, 'Enter your country.'),
  heardFrom: optional('How you heard of us', 200),
};

export const SIGNUP_FIELDS = ['firstName', 'lastName', 'company', 'email', 'address', 'city', 'state', 'zip', 'country', 'heardFrom', 'password', 'passwordAgain'] as const;
export const PROFILE_FIELDS = ['firstName', 'lastName', 'company', 'address', 'city', 'state', 'zip', 'country', 'heardFrom'] as const;
export const PASSWORD_FIELDS = ['currentPassword', 'newPassword', 'newPasswordAgain'] as const;
export const LOGIN_FIELDS = ['email', 'password'] as const;
export const FORGOT_FIELDS = ['email'] as const;
export const RESET_FIELDS = ['newPassword', 'newPasswordAgain'] as const;

const signupSchema = z
  .object({ ...details, email, password: newPassword, passwordAgain: z.string() })
  .refine((v) => v.password === v.passwordAgain, { path: ['passwordAgain'], message: 'The two passwords are not the same.' });
const profileSchema = z.object(details);
const passwordSchema = z
  .object({ currentPassword: z.string().min(1, 'Enter your current password.'), newPassword, newPasswordAgain: z.string() })
  .refine((v) => v.newPassword === v.newPasswordAgain, { path: ['newPasswordAgain'], message: 'The two new passwords are not the same.' });

const forgotSchema = z.object({ email });
// The same rules as a password chosen at sign-up.
const resetSchema = z
  .object({ newPassword, newPasswordAgain: z.string() })
  .refine((v) => v.newPassword === v.newPasswordAgain, { path: ['newPasswordAgain'], message: 'The two passwords are not the same.' });

export type FormInput<F extends string> = Partial<Record<F, string>>;
export type FieldErrors<F extends string> = Partial<Record<F, string>>;
export type SignupForm = z.infer<typeof signupSchema>;
export type AccountDetails = z.infer<typeof profileSchema>;
export type PasswordChange = z.infer<typeof passwordSchema>;
export type PasswordReset = z.infer<typeof resetSchema>;

/** The named fields out of a parsed body: each a string when sent once as text, else absent. */
export function pickFields<F extends string>(body: unknown, fields: readonly F[]): FormInput<F> {
  const out: FormInput<F> = {};
  if (typeof body !== 'object' || body === null) return out;
  for (const f of fields) {
    const v: unknown = Object.hasOwn(body, f) ? (body as Record<string, unknown>)[f] : undefined;
    if (typeof v === 'string') out[f] = v;
  }
  return out;
}

function check<F extends string, T>(schema: z.ZodType<T>, fields: readonly F[], input: FormInput<F>): { ok: true; value: T } | { ok: false; errors: FieldErrors<F> } {
  const given: Record<string, string> = {};
  for (const f of fields) given[f] = input[f] ?? '';
  const parsed = schema.safeParse(given);
  if (parsed.success) return { ok: true, value: parsed.data };
  const errors: FieldErrors<F> = {};
  for (const issue of parsed.error.issues) {
    const f = issue.path[0] as F;
    if (fields.includes(f)) errors[f] ??= issue.message;
  }
  return { ok: false, errors };
}

export const checkSignup = (input: FormInput<(typeof SIGNUP_FIELDS)[number]>) => check(signupSchema, SIGNUP_FIELDS, input);
export const checkProfile = (input: FormInput<(typeof PROFILE_FIELDS)[number]>) => check(profileSchema, PROFILE_FIELDS, input);
export const checkPasswordChange = (input: FormInput<(typeof PASSWORD_FIELDS)[number]>) => check(passwordSchema, PASSWORD_FIELDS, input);
export const checkForgot = (input: FormInput<(typeof FORGOT_FIELDS)[number]>) => check(forgotSchema, FORGOT_FIELDS, input);
export const checkPasswordReset = (input: FormInput<(typeof RESET_FIELDS)[number]>) => check(resetSchema, RESET_FIELDS, input);
