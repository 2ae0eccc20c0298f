import { UniqueConstraintError, type Transaction } from 'sequelize';
import { z } from 'zod';
import { toPlainText } from '../../lib/plain-text.ts';
import { WORK, type DomainContext } from '../domain-context.ts';
import { EXPERT_LEVELS, type ExpertLevel } from './expert-levels.ts';
import { refreshHomes } from '../home/refresh-homes.ts';

export const SUMMARY_MIN = 20;
export const SUMMARY_MAX = 2000;
export const YEARS_MAX = 70;

const text = (field: string, min: number, max: number) =>
  z
    .string({ error: `Enter ${field}.` })
    .transform((s) => toPlainText(s).trim())
    .pipe(z.string().min(min, min <= 1 ? `Enter ${field}.` : `Please write at least ${min} characters.`).max(max, `Please keep it under ${max} characters.`));

/** The most referees and jobs an application may list (the portal's wizard lets people add them). */
export const REFEREES_MAX = 5;
export const EMPLOYMENT_MAX = 5;
export const JOB_DESCRIPTION_MAX = 1000;

const referee = (which: string) => z.object({ name: text(`the name of ${which} referee`, 1, 200), contact: text(`how to reach ${which} referee (email or phone)`, 3, 320) });

/** A month as `YYYY-MM`, between 1950 and 2100. */
const MONTH = /^(19[5-9][0-9]|20[0-9][0-9]|2100)-(0[1-9]|1[0-2])$/;
const month = (what: string) =>
  z
    .string({ error: `Enter ${what} as a month, like 2019-04.` })
    .transform((s) => toPlainText(s).trim())
    .pipe(z.string().regex(MONTH, `Enter ${what} as a month, like 2019-04.`));

/** One job of the employment history; `to` is null while it is the current one. */
const job = z
  .object({
    employer: text('the employer', 1, 200),
    role: text('your role there', 1, 200),
    from: month('when you started'),
    to: month('when you left').nullable(),
    description: text('what you did there', 0, JOB_DESCRIPTION_MAX),
  })
  // Compared only when both are months: a malformed one already has its own message.
  .refine((j) => j.to === null || !MONTH.test(j.from) || !MONTH.test(j.to) || j.to >= j.from, { path: ['to'], message: 'The end cannot be before the start.' });

/**
 * What an application says, checked. Field paths name the form's fields (the Slack modal's
 * block ids and the portal's inputs): name, email, phone, yearsExperience, summary,
 * referees.0.name …, employment.0.employer …, categories.
 */
export const applicationSchema = z.object({
  slackUserId: z
    .string()
    .regex(/^[UW][A-Z0-9]{2,31}$/)
    .nullish(),
  name: text('your name', 1, 200),
  email: z
    .string({ error: 'Enter your email address.' })
    .transform((s) => toPlainText(s).trim().toLowerCase())
    .pipe(z.email({ error: 'Enter a valid email address, like name@example.com.' }).max(320, 'That email address is too long.')),
  phone: z
    .string({ error: 'Enter a phone number.' })
    .transform((s) => toPlainText(s).trim())
    .pipe(
      z
        .string()
        .regex(/^\+?[0-9 ()./-]{5,40}$/, 'Enter a phone number of digits, spaces and + ( ) - . / only, like +41 44 123 45 67.')
        .refine((s) => (s.match(/[0-9]/g) ?? []).length >= 5, 'A phone number has at least 5 digits.'),
    ),
  yearsExperience: z
    .number({ error: 'Enter your years of experience as a whole number, like 5.' })
    .int('Enter your years of experience as a whole number, like 5.')
    .min(0, 'Years of experience cannot be negative.')
    .max(YEARS_MAX, `Please enter at most ${YEARS_MAX} years.`),
  summary: text('a short summary of your experience', SUMMARY_MIN, SUMMARY_MAX),
  referees: z.tuple([referee('your first'), referee('your second')], referee('this'), { error: 'Give two referees.' }).refine((r) => r.length <= REFEREES_MAX, `Give at most ${REFEREES_MAX} referees.`),
  /** The employment history, newest first as given (the portal asks for it; Slack does not). */
  employment: z.array(job).max(EMPLOYMENT_MAX, `List at most ${EMPLOYMENT_MAX} jobs.`).optional(),
  categories: z
    .array(z.object({ key: z.string().min(1).max(64), level: z.enum(EXPERT_LEVELS, { error: 'Choose a level.' }) }))
    .min(1, 'Choose your level in at least one category you want to answer tickets for.')
    .refine((cs) => new Set(cs.map((c) => c.key)).size === cs.length, 'Each category once, please.'),
});

/** An application as the Slack modal or the portal's wizard sends it (plain data; a Slack user id only when it came from Slack). */
export type ApplicationInput = z.input<typeof applicationSchema>;
export type Application = z.output<typeof applicationSchema>;

export type ApplyOutcome =
  /** Errors by field (see applicationSchema), nothing stored. `categories.<key>` names one category. */
  | { outcome: 'invalid'; errors: Record<string, string> }
  | { outcome: 'applied' | 'updated'; expertId: number; applicationId: number }
  /** From the portal (by email): nothing was stored, as the email is a Slack expert's or every category asked for is approved already (see applyAsExpert). */
  | { outcome: 'unchanged'; expertId: number };

/** The DM an applicant gets once their application is stored. */
export const APPLICATION_RECEIVED = ':inbox_tray: Thank you — your registration as a Helpnet expert was received. A Helpnet manager will assess your qualifications before any ticket is assigned to you; you will hear the outcome here.';
/** The DM to an expert in Slack when their email was used in the portal's wizard: nothing changed. */
export const WEB_APPLICATION_REFUSED = ':warning: Someone (perhaps you) just sent an application to be a Helpnet expert from the Helpnet website with your email address. Nothing was changed: as you are in Slack, apply or change your application with `/helpnet join` here.';

/** The DM when a pending application was changed by applying again. */
export const APPLICATION_UPDATED = ':pencil2: Your pending application to be a Helpnet expert was updated with what you just sent. A Helpnet manager will assess your qualifications before any ticket is assigned to you; you will hear the outcome here.';

type ApplyContext = Pick<DomainContext, 'db' | 'outbox' | 'routing' | 'now'>;

/**
 * Someone applies to answer tickets (`/helpnet join`, and later the portal's wizard): one
 * use case for both. The applicant is found by their Slack user id when given, else by
 * email, or becomes a new expert — checked out and with no skill approved, so they can
 * neither book nor be paged until a manager approves them. Each category applied for is an
 * `applied` skill carrying the self-rated level; a category they are already approved for
 * is refused on the field. By email (the portal's wizard, where anyone can type anyone's
 * email) nothing ever tells a stranger about the owner of that email, and an expert who is
 * in Slack is never changed: their Slack account is how they are known, so the application
 * stores nothing and they are told by DM (`unchanged`); for a web applicant, a category
 * already approved is left out without a word (all of them: `unchanged`). Applying again while an application waits replaces it (no
 * second application; categories left out are withdrawn) and refreshes the managers'
 * message; otherwise the application is posted to the managers' channel. The applicant
 * gets a DM when they have a Slack user id.
 */
export async function applyAsExpert(ctx: ApplyContext, input: ApplicationInput): Promise<ApplyOutcome> {
  const parsed = applicationSchema.safeParse(input);
  if (!parsed.success) return { outcome: 'invalid', errors: fieldErrors(parsed.error.issues) };
  const application = parsed.data;
  const categories = new Map((await ctx.db.routing.categories()).filter((c) => c.active).map((c) => [c.key, c]));
  const errors: Record<string, string> = {};
  for (const c of application.categories) if (!categories.has(c.key)) errors.categories ??= `${c.key} is not a category Helpnet offers any more. Choose another.`;
  if (Object.keys(errors).length > 0) return { outcome: 'invalid', errors };
  const applied = application.categories.map((c) => ({ categoryId: categories.get(c.key)!.id, key: c.key, level: c.level as ExpertLevel }));
  try {
    return await store(ctx, application, applied);
  } catch (err) {
    // Two submissions at once for the same new applicant (the same Slack id, or from the
    // portal the same email: experts.applied_email is unique): the other one stored it, so
    // this one updates it.
    if (err instanceof UniqueConstraintError) return store(ctx, application, applied);
    throw err;
  }
}

async function store(ctx: ApplyContext, application: Application, asked: { categoryId: number; key: string; level: ExpertLevel }[]): Promise<ApplyOutcome> {
  const { expertApplications: apps } = ctx.db;
  return ctx.db.unitOfWork(async (transaction) => {
    const now = ctx.now();
    const w = { transaction, now };
    const contact = { name: application.name, email: application.email, phone: application.phone };
    const slackUserId = application.slackUserId ?? null;
    const found = slackUserId ? await ctx.db.experts.bySlackId(slackUserId, { transaction }) : await apps.expertByEmail(application.email, { transaction });
    let expertId: number;
    let applied = asked;
    if (found && !slackUserId && found.slackUserId) {
      await dm(ctx, transaction, now, found.id, found.slackUserId, WEB_APPLICATION_REFUSED);
      return { outcome: 'unchanged', expertId: found.id } as const;
    }
    if (found) {
      expertId = found.id;
      const approved = new Set((await apps.skillsOf(expertId, { transaction })).filter((s) => s.status === 'approved').map((s) => s.categoryId));
      const already = applied.find((c) => approved.has(c.categoryId));
      if (already && slackUserId) return { outcome: 'invalid', errors: { [`categories.${already.key}`]: 'You are already approved for this category: leave it out.' } } as const;
      applied = applied.filter((c) => !approved.has(c.categoryId));
      if (applied.length === 0) return { outcome: 'unchanged', expertId } as const;
      await apps.updateContact(expertId, contact, w);
    } else {
      expertId = await apps.addApplicant({ ...contact, slackUserId }, w);
    }
    const values = {
      yearsExperience: application.yearsExperience,
      summary: application.summary,
      referees: JSON.stringify(application.referees),
      employment: application.employment && application.employment.length > 0 ? JSON.stringify(application.employment) : null,
      categories: JSON.stringify(applied.map((c) => ({ categoryId: c.categoryId, level: c.level }))),
    };
    const pending = await apps.pendingOf(expertId, { transaction });
    const dmTo = slackUserId ?? found?.slackUserId ?? null;
    if (pending && (await apps.replacePending(pending.id, values, w))) {
      const before = (JSON.parse(pending.categories) as { categoryId: number }[]).map((c) => c.categoryId);
      await apps.withdraw(expertId, before.filter((id) => !applied.some((c) => c.categoryId === id)), { transaction });
      await apps.markApplied(expertId, applied, w);
      for (const m of await apps.messagesOf({ id: pending.id, expertId }, { transaction })) {
        if (m.status !== 'failed') await ctx.outbox.add(transaction, WORK.slackUpdate, { messageId: m.id });
      }
      await dm(ctx, transaction, now, expertId, dmTo, APPLICATION_UPDATED);
      await refreshHomes(ctx, transaction, { managers: true });
      return { outcome: 'updated', expertId, applicationId: pending.id } as const;
    }
    const applicationId = await apps.add({ expertId, ...values }, w);
    await apps.markApplied(expertId, applied, w);
    const [post] = await ctx.db.slackMessages.add([{ ticketId: null, purpose: 'expert_application', channel: ctx.routing.managersChannel, expertId, details: JSON.stringify({ applicationId }) }], w);
    await ctx.outbox.add(transaction, WORK.slackPost, { messageId: post! });
    await dm(ctx, transaction, now, expertId, dmTo, APPLICATION_RECEIVED);
    // The managers' Homes list pending applications.
    await refreshHomes(ctx, transaction, { managers: true });
    return { outcome: 'applied', expertId, applicationId } as const;
  });
}

/** Queues a DM of Helpnet's own words to the expert, when they are in Slack. */
export async function dm(ctx: Pick<DomainContext, 'db' | 'outbox'>, transaction: Transaction, now: Date, expertId: number, slackUserId: string | null, text: string): Promise<void> {
  if (!slackUserId) return;
  const [id] = await ctx.db.slackMessages.add([{ ticketId: null, purpose: 'notice', channel: slackUserId, expertId, details: JSON.stringify({ text }) }], { transaction, now });
  await ctx.outbox.add(transaction, WORK.slackPost, { messageId: id! });
}

/** The first problem of each field, keyed by its path (`referees.0.name`). */
function fieldErrors(issues: readonly z.core.$ZodIssue[]): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of issues) {
    const path = issue.path.slice(0, issue.path[0] === 'categories' ? 1 : 3).map(String).join('.') || 'form';
    errors[path] ??= issue.message;
  }
  return errors;
}
