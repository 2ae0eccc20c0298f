import { createHash, randomBytes } from 'node:crypto';
import { applicationSchema } from './apply-as-expert.ts';
import { WORK, type DomainContext } from '../domain-context.ts';
import type { AccountLinks } from '../accounts/account-links.ts';
import { applyAsExpert, type ApplyOutcome } from './apply-as-expert.ts';
import { emptyAnswers, parseAnswers, toApplication, type DraftAnswers, type OfferedCategory, type WizardStep, isWizardStep } from './application-draft.ts';

/** How long a draft (and its resume link) lives after it was last saved. */
export const DRAFT_TTL_MS = 30 * 24 * 60 * 60_000;

/** The account email job's kind for a draft's resume link (see mail/send-account-email.ts). */
export const DRAFT_EMAIL_KIND = 'expert-draft';
/** The same link, sent by Submit to confirm the email before the application is sent. */
export const DRAFT_CONFIRM_EMAIL_KIND = 'expert-draft-confirm';
export type DraftEmailKind = typeof DRAFT_EMAIL_KIND | typeof DRAFT_CONFIRM_EMAIL_KIND;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
/** 256 random bits, as a cookie or link carries them. */
const randomId = () => randomBytes(32).toString('base64url');
/** Only a string shaped like one of ours (43 base64url characters) is looked up. */
export const looksLikeDraftId = (s: string): boolean => /^[A-Za-z0-9_-]{43}$/.test(s);

/**
 * A resume link's token: HMAC of the draft's random salt under the server's secret (through
 * the account links' derivation, under a prefix no account salt has), so the mail job
 * derives the link again and neither the database nor a job's payload holds a working one.
 */
export const draftResumeToken = (links: AccountLinks, salt: string): string => links.tokenFor(`expert-draft:${salt}`);
export const draftResumeUrl = (links: AccountLinks, salt: string): string => `${links.publicUrl}/experts/join/resume/${draftResumeToken(links, salt)}`;

export interface Draft {
  id: number;
  step: WizardStep;
  answers: DraftAnswers;
  email: string | null;
  /** The email the holder proved they read by opening the resume link (see emailConfirmed). */
  verifiedEmail: string | null;
}

type Ctx = Pick<DomainContext, 'db' | 'now'>;

function toDraft(row: { id: number; step: string; answers: string; email?: string | null; verifiedEmail?: string | null }): Draft {
  return { id: row.id, step: isWizardStep(row.step) ? row.step : 'contact', answers: parseAnswers(row.answers), email: row.email ?? null, verifiedEmail: row.verifiedEmail ?? null };
}

/**
 * Whether the email the answers would apply with (normalised as the application keeps it) is
 * the one the holder proved they read. Anyone can type anyone's email in the wizard, and
 * applyAsExpert finds an applicant by email: without this, a stranger could replace a pending
 * web applicant's application.
 */
export function emailConfirmed(draft: Draft): boolean {
  const email = applicationSchema.shape.email.safeParse(draft.answers.contact.email);
  return email.success && draft.verifiedEmail === email.data;
}

/** The live draft the browser's cookie id belongs to. */
export async function findDraft(ctx: Ctx, browserId: string | undefined): Promise<Draft | undefined> {
  if (!browserId || !looksLikeDraftId(browserId)) return undefined;
  const row = await ctx.db.expertApplicationDrafts.byBrowserHash(sha256(browserId), ctx.now());
  return row ? toDraft(row) : undefined;
}

/**
 * Keeps the answers and the step the person is on: in their draft, or in a new one (then
 * `browserId` is the new cookie's value). Saving moves the draft's end 30 days on.
 */
export async function saveDraft(ctx: Ctx, draft: Draft | undefined, changes: { step: WizardStep; answers: DraftAnswers; email: string | null }): Promise<{ draftId: number; browserId?: string }> {
  const now = ctx.now();
  const values = { step: changes.step, answers: JSON.stringify(changes.answers), email: changes.email, expiresAt: new Date(now.getTime() + DRAFT_TTL_MS) };
  return ctx.db.unitOfWork(async (transaction) => {
    const current = draft ? await ctx.db.expertApplicationDrafts.byId(draft.id, { transaction, forUpdate: true }) : undefined;
    if (current) {
      // A link sent to another email stops working: opening it confirms the draft's email, so it must have gone to that inbox.
      const forgetLink = current.email !== changes.email ? { resumeSalt: null, resumeTokenHash: null } : {};
      if (await ctx.db.expertApplicationDrafts.update(current.id, { ...values, ...forgetLink }, { transaction, now })) return { draftId: current.id };
    }
    // Drafts past their end are forgotten as new ones start (an indexed range delete).
    await ctx.db.expertApplicationDrafts.deleteExpired(now, { transaction });
    const browserId = randomId();
    const draftId = await ctx.db.expertApplicationDrafts.add({ browserHash: sha256(browserId), ...values }, { transaction, now });
    return { draftId, browserId };
  });
}

/** A new, empty draft's answers (for the first step shown). */
export const newAnswers = emptyAnswers;

/**
 * "Save and exit": the draft gets a resume link (its salt made once, so every link emailed
 * for it works until it ends or its email changes) and, with mail on, the email carrying it is queued. Whether
 * the email already applied is never looked at.
 */
export function saveAndExit(ctx: Pick<DomainContext, 'db' | 'now' | 'outbox' | 'accountLinks'>, draftId: number, opts: { mail: boolean }): Promise<{ mailQueued: boolean }> {
  return emailResumeLink(ctx, draftId, opts.mail ? DRAFT_EMAIL_KIND : undefined);
}

/**
 * Submit before the email is confirmed: the same resume link, in an email asking to open it
 * to send the application (opening it confirms the email, see resumeDraft). Nothing is
 * applied; with mail off nobody can confirm, and Submit does not ask.
 */
export function askToConfirmEmail(ctx: Pick<DomainContext, 'db' | 'now' | 'outbox' | 'accountLinks'>, draftId: number): Promise<{ mailQueued: boolean }> {
  return emailResumeLink(ctx, draftId, DRAFT_CONFIRM_EMAIL_KIND);
}

/** Makes the draft's resume link (once) and queues the email of `kind` carrying it, when a kind is given and the draft has an email. */
async function emailResumeLink(ctx: Pick<DomainContext, 'db' | 'now' | 'outbox' | 'accountLinks'>, draftId: number, kind: DraftEmailKind | undefined): Promise<{ mailQueued: boolean }> {
  const now = ctx.now();
  return ctx.db.unitOfWork(async (transaction) => {
    // Locked, so an email changed meanwhile (which forgets the link) is not undone by writing the old salt back.
    const row = await ctx.db.expertApplicationDrafts.byId(draftId, { transaction, forUpdate: true });
    if (!row) return { mailQueued: false };
    const salt = row.resumeSalt ?? randomBytes(16).toString('hex');
    await ctx.db.expertApplicationDrafts.update(draftId, { resumeSalt: salt, resumeTokenHash: sha256(draftResumeToken(ctx.accountLinks, salt)), expiresAt: new Date(now.getTime() + DRAFT_TTL_MS) }, { transaction, now });
    if (kind && row.email) await ctx.outbox.add(transaction, WORK.accountEmail, { draftId, kind });
    return { mailQueued: !!kind && !!row.email };
  });
}

/**
 * Opens a resume link: the draft it belongs to, now held by a new cookie id (the one the
 * browser had before, if any, no longer opens it), with its email confirmed (the link came
 * to that inbox). Undefined for a link that is wrong, expired or whose draft was submitted.
 */
export async function resumeDraft(ctx: Ctx, token: string): Promise<{ draft: Draft; browserId: string } | undefined> {
  if (!looksLikeDraftId(token)) return undefined;
  const now = ctx.now();
  return ctx.db.unitOfWork(async (transaction) => {
    const row = await ctx.db.expertApplicationDrafts.byResumeTokenHash(sha256(token), now, { transaction, forUpdate: true });
    if (!row) return undefined;
    const browserId = randomId();
    // The link only ever goes to the draft's email (the one saved when it was sent or since; both kept normalised).
    await ctx.db.expertApplicationDrafts.update(row.id, { browserHash: sha256(browserId), verifiedEmail: row.email }, { transaction, now });
    return { draft: toDraft({ ...row, verifiedEmail: row.email }), browserId };
  });
}

/**
 * Submits a draft as an application (the same use case and vetting as `/helpnet join`); on
 * success the draft is deleted. The outcome is applyAsExpert's: its errors are keyed by field.
 */
export async function submitDraft(ctx: Pick<DomainContext, 'db' | 'outbox' | 'routing' | 'now'>, draft: Draft, offered: readonly OfferedCategory[]): Promise<ApplyOutcome> {
  const outcome = await applyAsExpert(ctx, toApplication(draft.answers, offered));
  if (outcome.outcome !== 'invalid') await ctx.db.unitOfWork((transaction) => ctx.db.expertApplicationDrafts.delete(draft.id, { transaction }));
  return outcome;
}

/** The categories an applicant may choose: the active ones. */
export async function offeredCategories(ctx: Pick<DomainContext, 'db'>): Promise<OfferedCategory[]> {
  return (await ctx.db.routing.categories()).filter((c) => c.active).map((c) => ({ key: c.key, name: c.name }));
}
