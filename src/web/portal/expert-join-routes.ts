import { Router, type Request, type Response } from 'express';
import { applicationSchema } from '../../domain/experts/apply-as-expert.ts';
import { checkStep, isWizardStep, stepIndex, stepOfField, WIZARD_STEPS, type DraftAnswers, type OfferedCategory, type StepErrors, type WizardStep } from '../../domain/experts/application-draft.ts';
import { askToConfirmEmail, emailConfirmed, findDraft, newAnswers, offeredCategories, resumeDraft, saveAndExit, saveDraft, submitDraft, type Draft } from '../../domain/experts/expert-drafts.ts';
import { clientKey, RateLimiter } from '../../lib/rate-limiter.ts';
import { changeRows, readStep, stepView } from './expert-join-form.ts';
import { checkCsrf, loadSession, noStore, parseForm, securityHeaders, type PortalKit } from './portal-kit.ts';

/** Each step's heading, in order. */
const STEP_TITLES: Record<WizardStep, string> = {
  contact: 'Your contact details',
  skills: 'Your skills',
  experience: 'Your experience',
  references: 'Your references',
  review: 'Check and send',
};

/** The wizard's longest valid step (five jobs with descriptions, a summary) percent-encoded in a multi-byte script stays under this. */
/** Larger than the kit's forms allow: five jobs, five referees, a level select per category. */
const WIZARD_FORM_LIMITS = { bytes: 128 * 1024, fields: 200 };

export interface ExpertJoinLimits {
  /** Submissions per client address. */
  submit: RateLimiter;
  /** "Save and exit" emails, and Submit's emails asking to confirm the email, per client address. */
  email: RateLimiter;
}

/** Five at once, then one every twelve minutes, per client address: plenty for a person, little for a script. */
export const defaultJoinLimits = (): ExpertJoinLimits => ({ submit: new RateLimiter(5, 5 / 60), email: new RateLimiter(5, 5 / 60) });

/**
 * `/experts/join`: the expert sign-up wizard (contact → skills → experience → references →
 * review), server-rendered, no script. The draft lives in the database, held by an httpOnly
 * SameSite=Lax cookie; every form carries the kit's CSRF token. "Save and exit" emails a link
 * `/experts/join/resume/<token>` that reopens it. Submit is applyAsExpert, as `/helpnet join`,
 * once the email is confirmed (the resume link opened, see emailConfirmed); before that, with
 * mail on, Submit emails the link instead and applies nothing.
 */
export function expertJoinRoutes(kit: PortalKit, limits: ExpertJoinLimits = defaultJoinLimits()): Router {
  const router = Router();
  const chain = [securityHeaders, noStore, loadSession(kit)];
  const secure = kit.cookies.session.startsWith('__Host-');
  const cookieName = `${secure ? '__Host-' : ''}helpnet_expert_draft`;
  const browserIdOf = (req: Request) => kit.cookies.read(req, cookieName);
  const setCookie = (res: Response, browserId: string) => res.cookie(cookieName, browserId, { httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge: 30 * 24 * 60 * 60_000 });
  const clearCookie = (res: Response) => res.clearCookie(cookieName, { httpOnly: true, sameSite: 'lax', secure, path: '/' });

  const show = (res: Response, status: number, step: WizardStep, answers: DraftAnswers, errors: StepErrors, offered: readonly OfferedCategory[], notice?: string) => {
    const view = stepView(step, answers, errors, offered);
    const i = stepIndex(step);
    kit.page(res, status, `portal-join-${step}`, {
      title: `${STEP_TITLES[step]} (step ${i + 1} of ${WIZARD_STEPS.length}) · Join as an IT expert`,
      heading: STEP_TITLES[step],
      stepNumber: i + 1,
      stepCount: WIZARD_STEPS.length,
      progress: WIZARD_STEPS.map((s, n) => ({ title: STEP_TITLES[s], current: s === step, done: n < i })),
      action: `/experts/join/${step}`,
      back: i > 0,
      csrf: kit.csrfToken(res),
      ...view,
      notice,
      hasErrors: view.errorList.length > 0,
    });
  };

  router.get('/experts/join', ...chain, async (req, res) => {
    const draft = await findDraft(kit.ctx, browserIdOf(req));
    if (draft) return res.redirect(303, `/experts/join/${draft.step}`);
    show(res, 200, 'contact', newAnswers(), {}, await offeredCategories(kit.ctx));
  });

  router.get('/experts/join/resume/:token', ...chain, async (req, res) => {
    const resumed = await resumeDraft(kit.ctx, String(req.params.token));
    if (!resumed) return kit.problem(res, 404, 'This link does not work', 'It may be mistyped or older than 30 days, or the application was already sent. You can start a new application from the home page.');
    setCookie(res, resumed.browserId);
    res.redirect(303, `/experts/join/${resumed.draft.step}`);
  });

  router.get('/experts/join/:step', ...chain, async (req, res) => {
    const step = String(req.params.step);
    if (!isWizardStep(step)) return kit.problem(res, 404, 'Page not found', 'Please check the address and try again.');
    const draft = await findDraft(kit.ctx, browserIdOf(req));
    if (!draft) return step === 'contact' ? show(res, 200, 'contact', newAnswers(), {}, await offeredCategories(kit.ctx)) : res.redirect(303, '/experts/join');
    // A step not reached yet is reached by Next, with the steps before it checked.
    if (stepIndex(step) > stepIndex(draft.step)) return res.redirect(303, `/experts/join/${draft.step}`);
    const notice = step === 'review' && kit.mail && emailConfirmed(draft) ? 'Your email is confirmed. Press Submit to send your application.' : undefined;
    show(res, 200, step, draft.answers, {}, await offeredCategories(kit.ctx), notice);
  });

  router.post('/experts/join/:step', ...chain, parseForm(kit, WIZARD_FORM_LIMITS), checkCsrf(kit), async (req, res) => {
    const step = String(req.params.step);
    if (!isWizardStep(step)) return kit.problem(res, 404, 'Page not found', 'Please check the address and try again.');
    const body = req.body as Record<string, unknown>;
    const action = typeof body.action === 'string' ? body.action : 'next';
    const offered = await offeredCategories(kit.ctx);
    const draft = await findDraft(kit.ctx, browserIdOf(req));
    if (!draft && step !== 'contact') return kit.problem(res, 404, 'Your application was not found', 'It may have been sent already, or it is older than 30 days. You can start again from the first step.');
    const answers = readStep(step, body, draft?.answers ?? newAnswers(), offered);
    /** Keeps the answers; the draft's step is the furthest reached (going back to change something keeps the later ones open). */
    const save = async (at: WizardStep, kept: DraftAnswers) => {
      const email = applicationSchema.shape.email.safeParse(kept.contact.email);
      const saved = await saveDraft(kit.ctx, draft, { step: draft ? laterOf(draft.step, at) : at, answers: kept, email: email.success ? email.data : null });
      if (saved.browserId) setCookie(res, saved.browserId);
      return saved.draftId;
    };

    if (action === 'back') {
      const previous = WIZARD_STEPS[Math.max(0, stepIndex(step) - 1)]!;
      await save(previous, answers);
      return res.redirect(303, `/experts/join/${previous}`);
    }
    const changed = changeRows(answers, action);
    if (changed) {
      await save(step, changed);
      const anchor = action.startsWith('add-job') ? `#job-${changed.experience.jobs.length}` : action.startsWith('add-referee') ? `#referee-${changed.references.length}` : '';
      return res.redirect(303, `/experts/join/${step}${anchor}`);
    }
    if (action === 'save') {
      const email = applicationSchema.shape.email.safeParse(answers.contact.email);
      if (!email.success) {
        if (draft || step === 'contact') await save(step, answers);
        // The link goes to the first step's email: that step, with the message on the field.
        return show(res, 400, 'contact', answers, { email: 'Enter your email address, so we can send you the link to continue.' }, offered);
      }
      const draftId = await save(step, answers);
      if (limits.email.take(clientKey(req.ip)) > 0) {
        return kit.page(res, 429, 'portal-join-saved', { title: 'Your application is saved', limited: true });
      }
      const { mailQueued } = await saveAndExit(kit.ctx, draftId, { mail: kit.mail });
      if (!kit.mail) kit.logger?.warn({ draftId }, 'mail is off (no SMTP_URL): the expert application draft was saved, but its resume link was not sent');
      return kit.page(res, 200, 'portal-join-saved', { title: 'We emailed you a link', mailQueued, email: email.data });
    }
    if (action === 'submit' && step === 'review' && draft && kit.mail && !emailConfirmed({ ...draft, answers })) {
      // Nothing is applied with an email its holder has not shown they read: applyAsExpert finds
      // a web applicant by email, so anyone could otherwise replace their pending application.
      const errors = checkStep('review', answers, offered);
      if (Object.keys(errors).length > 0) return showErrorsWhereTheyBelong(res, draft, answers, errors, offered);
      if (limits.email.take(clientKey(req.ip)) > 0) return kit.problem(res, 429, 'Too many emails from your network', 'Your answers are kept. Please wait a few minutes and press Submit again.');
      await askToConfirmEmail(kit.ctx, draft.id);
      return kit.page(res, 200, 'portal-join-confirm', { title: 'Check your email', email: draft.email });
    }
    if (action === 'submit' && step === 'review' && draft) {
      if (limits.submit.take(clientKey(req.ip)) > 0) return kit.problem(res, 429, 'Too many applications from your network', 'Your answers are kept. Please wait a few minutes and press Submit again.');
      const outcome = await submitDraft(kit.ctx, { ...draft, answers }, offered);
      if (outcome.outcome === 'invalid') return showErrorsWhereTheyBelong(res, draft, answers, outcome.errors, offered);
      clearCookie(res);
      return kit.page(res, 200, 'portal-join-done', { title: 'Registration received' });
    }
    // Next: this step checked; with errors the step again, as typed.
    const errors = checkStep(step, answers, offered);
    if (Object.keys(errors).length > 0) {
      if (draft || step === 'contact') await save(step, answers);
      if (step === 'review') return showErrorsWhereTheyBelong(res, draft!, answers, errors, offered);
      return show(res, 400, step, answers, errors, offered);
    }
    const next = WIZARD_STEPS[Math.min(WIZARD_STEPS.length - 1, stepIndex(step) + 1)]!;
    await save(next, answers);
    res.redirect(303, `/experts/join/${next}`);
  });

  /** The use case's (or the final check's) errors, on the first step holding one of them, with that step's fields. */
  async function showErrorsWhereTheyBelong(res: Response, draft: Draft, answers: DraftAnswers, errors: StepErrors, offered: readonly OfferedCategory[]) {
    const step = WIZARD_STEPS.find((s) => Object.keys(errors).some((k) => stepOfField(k) === s)) ?? 'review';
    const own = Object.fromEntries(Object.entries(errors).filter(([k]) => stepOfField(k) === step));
    await saveDraft(kit.ctx, draft, { step: draft.step, answers, email: draft.email });
    show(res, 400, step, answers, own, offered);
  }
  return router;
}

/** The further of two steps. */
function laterOf(a: WizardStep, b: WizardStep): WizardStep {
  return stepIndex(a) >= stepIndex(b) ? a : b;
}
