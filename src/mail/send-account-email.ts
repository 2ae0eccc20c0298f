import type { AccountEmailKind } from '../domain/accounts/sign-up.ts';
import type { DomainContext } from '../domain/domain-context.ts';
import { DRAFT_CONFIRM_EMAIL_KIND, draftResumeUrl, type DraftEmailKind } from '../domain/experts/expert-drafts.ts';
import type { Mailer, OutgoingMail } from './mailer.ts';

/** What the account emails need: the database, the account links, the clock, the mailer (absent when mail is off). */
export type AccountMailContext = Pick<DomainContext, 'db' | 'accountLinks' | 'now'> & { mailer?: Mailer | undefined };

/** The email with the link that confirms a new account's address. */
export function composeConfirmEmail(to: string, firstName: string, link: string, jobKey: string): OutgoingMail {
  return {
    to,
    subject: 'Confirm your email address for Helpnet',
    text: [
      `Hello ${firstName},`,
      '',
      'Please confirm your email address by opening this link (it works for 3 days):',
      '',
      link,
      '',
      'Once it is confirmed, tickets you filed earlier from this address through a help widget show in your account.',
      '',
      'If you did not sign up for Helpnet, ignore this email: nothing happens without the link.',
    ].join('\n'),
    messageId: `<helpnet-account-${jobKey}@helpnet.invalid>`,
  };
}

/** The email to an account's owner when someone signs up again with their address. */
export function composeAlreadyEmail(to: string, firstName: string, publicUrl: string, jobKey: string): OutgoingMail {
  return {
    to,
    subject: 'You already have a Helpnet account',
    text: [
      `Hello ${firstName},`,
      '',
      'Someone (perhaps you) just tried to sign up for Helpnet with this email address, which already has an account. Nothing was changed.',
      '',
      `To use your account, log in at ${publicUrl}/login`,
      `Forgot your password? Choose a new one at ${publicUrl}/password/forgot`,
      '',
      'If it was not you, you can ignore this email.',
    ].join('\n'),
    messageId: `<helpnet-account-${jobKey}@helpnet.invalid>`,
  };
}

/** The email with the link that lets an account's owner choose a new password. */
export function composeResetEmail(to: string, firstName: string, link: string, jobKey: string): OutgoingMail {
  return {
    to,
    subject: 'Reset your Helpnet password',
    text: [
      `Hello ${firstName},`,
      '',
      'Someone (perhaps you) asked to reset the password of your Helpnet account. To choose a new password, open this link (it works once, for 1 hour):',
      '',
      link,
      '',
      'Choosing a new password signs you out everywhere else, and confirms this email address if it was not confirmed yet.',
      '',
      'If you did not ask for this, ignore this email: your password stays as it is.',
    ].join('\n'),
    messageId: `<helpnet-account-${jobKey}@helpnet.invalid>`,
  };
}

/**
 * Sends one account email. A confirmation already used (or replaced) is not sent, nor is a
 * reset link already used or expired; a reset email whose link was replaced by a newer
 * request carries the newest link (derived from the account's current salt). With mail off
 * nothing is sent (nothing is queued then; this only guards a job queued before).
 */
export async function sendAccountEmail(ctx: AccountMailContext, accountId: number, kind: AccountEmailKind, jobKey: string): Promise<void> {
  const account = await ctx.db.accounts.byId(accountId);
  if (!account || !ctx.mailer) return;
  if (kind === 'confirm') {
    if (!account.confirmSalt || account.emailConfirmedAt) return;
    await ctx.mailer.send(composeConfirmEmail(account.email, account.firstName, ctx.accountLinks.confirmUrlFor(account.confirmSalt), jobKey));
  } else if (kind === 'reset') {
    if (!account.resetSalt || !account.resetExpiresAt || account.resetExpiresAt.getTime() <= ctx.now().getTime()) return;
    await ctx.mailer.send(composeResetEmail(account.email, account.firstName, ctx.accountLinks.resetUrlFor(account.resetSalt), jobKey));
  } else {
    await ctx.mailer.send(composeAlreadyEmail(account.email, account.firstName, ctx.accountLinks.publicUrl, jobKey));
  }
}

/** The email with the link that reopens an expert application saved half-way in the portal's wizard. */
export function composeDraftResumeEmail(to: string, link: string, expiresAt: Date, jobKey: string): OutgoingMail {
  return {
    to,
    subject: 'Your Helpnet expert application: continue where you left off',
    text: [
      'Hello,',
      '',
      'You saved your application to join Helpnet as an IT expert. To continue where you left off, open this link:',
      '',
      link,
      '',
      `It works until ${expiresAt.toISOString().slice(0, 10)}, on any device. Anyone with the link can see and change your application, so do not share it.`,
      '',
      'If you did not start an application with Helpnet, ignore this email: nothing happens without the link.',
    ].join('\n'),
    messageId: `<helpnet-account-${jobKey}@helpnet.invalid>`,
  };
}

/** The email Submit sends before the application goes: the same resume link, opened to confirm the email. */
export function composeDraftConfirmEmail(to: string, link: string, expiresAt: Date, jobKey: string): OutgoingMail {
  return {
    to,
    subject: 'Confirm your email to send your Helpnet expert application',
    text: [
      'Hello,',
      '',
      'You pressed Submit on your application to join Helpnet as an IT expert. Please confirm your email to send your application: open this link, then press Submit once more.',
      '',
      link,
      '',
      `It works until ${expiresAt.toISOString().slice(0, 10)}, on any device; your answers are kept until then. Anyone with the link can see and change your application, so do not share it.`,
      '',
      'If you did not apply to Helpnet, ignore this email: nothing is sent and nothing of yours changes without the link.',
    ].join('\n'),
    messageId: `<helpnet-account-${jobKey}@helpnet.invalid>`,
  };
}

/** Sends a draft's resume link (to continue, or to confirm the email before Submit); not for a draft that was submitted, has ended or has no email. */
export async function sendDraftResumeEmail(ctx: AccountMailContext, draftId: number, jobKey: string, kind?: DraftEmailKind): Promise<void> {
  const draft = await ctx.db.expertApplicationDrafts.byId(draftId);
  if (!draft || !ctx.mailer || !draft.email || !draft.resumeSalt || draft.expiresAt <= ctx.now()) return;
  const compose = kind === DRAFT_CONFIRM_EMAIL_KIND ? composeDraftConfirmEmail : composeDraftResumeEmail;
  await ctx.mailer.send(compose(draft.email, draftResumeUrl(ctx.accountLinks, draft.resumeSalt), draft.expiresAt, jobKey));
}
