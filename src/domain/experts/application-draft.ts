import { z } from 'zod';
import { applicationSchema, EMPLOYMENT_MAX, REFEREES_MAX, type ApplicationInput } from './apply-as-expert.ts';
import { EXPERT_LEVELS } from './expert-levels.ts';

/**
 * The portal's expert sign-up wizard as plain data: its steps, the answers a draft keeps
 * (as typed, so nothing accepted is lost between steps), each step's check, and the
 * application they make. The checks are applyAsExpert's own field rules (one set of rules
 * for Slack and the portal); its errors are keyed the same way, so they land on the step
 * and field that hold them.
 */
export const WIZARD_STEPS = ['contact', 'skills', 'experience', 'references', 'review'] as const;
export type WizardStep = (typeof WIZARD_STEPS)[number];

export const isWizardStep = (s: string): s is WizardStep => (WIZARD_STEPS as readonly string[]).includes(s);
export const stepIndex = (s: WizardStep): number => WIZARD_STEPS.indexOf(s);

export interface JobAnswer {
  employer: string;
  role: string;
  /** `YYYY-MM`. */
  from: string;
  to: string;
  /** Still working there: `to` is ignored. */
  current: boolean;
  description: string;
}

export interface RefereeAnswer {
  name: string;
  contact: string;
}

/** Everything typed so far, step by step. */
export interface DraftAnswers {
  contact: { name: string; email: string; phone: string };
  /** Category key → level, or '' for "Not applying". */
  skills: Record<string, string>;
  experience: { jobs: JobAnswer[]; yearsExperience: string; summary: string };
  references: RefereeAnswer[];
}

export const REFEREES_MIN = 2;
export { EMPLOYMENT_MAX, REFEREES_MAX };

export const emptyJob = (): JobAnswer => ({ employer: '', role: '', from: '', to: '', current: false, description: '' });
export const emptyReferee = (): RefereeAnswer => ({ name: '', contact: '' });

export function emptyAnswers(): DraftAnswers {
  return {
    contact: { name: '', email: '', phone: '' },
    skills: {},
    experience: { jobs: [emptyJob()], yearsExperience: '', summary: '' },
    references: [emptyReferee(), emptyReferee()],
  };
}

const str = z.string().catch('');
/** Stored answers read back: anything missing or malformed becomes empty (a draft is never refused for its shape). */
const storedAnswers = z.object({
  contact: z.object({ name: str, email: str, phone: str }).catch({ name: '', email: '', phone: '' }),
  skills: z.record(z.string(), z.string()).catch({}),
  experience: z
    .object({
      jobs: z.array(z.object({ employer: str, role: str, from: str, to: str, current: z.boolean().catch(false), description: str })).catch([]),
      yearsExperience: str,
      summary: str,
    })
    .catch({ jobs: [], yearsExperience: '', summary: '' }),
  references: z.array(z.object({ name: str, contact: str })).catch([]),
});

export function parseAnswers(json: string): DraftAnswers {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    raw = {};
  }
  const answers = storedAnswers.catch(emptyAnswers()).parse(raw);
  if (answers.experience.jobs.length === 0) answers.experience.jobs.push(emptyJob());
  while (answers.references.length < REFEREES_MIN) answers.references.push(emptyReferee());
  return answers;
}

/** Errors by field name (the form's and applyAsExpert's: `email`, `categories`, `employment.0.from`, `referees.1.name` …). */
export type StepErrors = Record<string, string>;

/** The categories a person may apply for: the active ones, in the routing file's order. */
export interface OfferedCategory {
  key: string;
  name: string;
}

/** The step's answers checked with the application's own rules; no errors means Next may go on. */
export function checkStep(step: WizardStep, answers: DraftAnswers, offered: readonly OfferedCategory[]): StepErrors {
  switch (step) {
    case 'contact':
      return issues(applicationSchema.pick({ name: true, email: true, phone: true }).safeParse(answers.contact));
    case 'skills':
      return checkSkills(answers.skills, offered);
    case 'experience':
      return issues(applicationSchema.pick({ yearsExperience: true, summary: true, employment: true }).safeParse(experienceInput(answers.experience)));
    case 'references':
      return issues(applicationSchema.pick({ referees: true }).safeParse({ referees: answers.references }));
    case 'review': {
      const all: StepErrors = {};
      for (const s of WIZARD_STEPS) if (s !== 'review') Object.assign(all, checkStep(s, answers, offered));
      return all;
    }
  }
}

function checkSkills(skills: Record<string, string>, offered: readonly OfferedCategory[]): StepErrors {
  const errors: StepErrors = {};
  for (const c of offered) {
    const level = skills[c.key] ?? '';
    if (level !== '' && !(EXPERT_LEVELS as readonly string[]).includes(level)) errors[`categories.${c.key}`] = 'Choose a level from the list.';
  }
  if (!offered.some((c) => (EXPERT_LEVELS as readonly string[]).includes(skills[c.key] ?? ''))) errors.categories = 'Choose your level in at least one category you want to answer tickets for.';
  return errors;
}

/** Years as typed ("5") → a number when it is a whole one; anything else as it is, so the rule's message explains. */
function years(typed: string): number | string | undefined {
  const t = typed.trim();
  if (t === '') return undefined;
  return /^-?[0-9]{1,4}$/.test(t) ? Number(t) : t;
}

function experienceInput(e: DraftAnswers['experience']) {
  return {
    yearsExperience: years(e.yearsExperience),
    summary: e.summary,
    employment: e.jobs.map((j) => ({ employer: j.employer, role: j.role, from: j.from, to: j.current ? null : j.to, description: j.description })),
  };
}

/** The application the answers make, for applyAsExpert (which checks everything again). */
export function toApplication(answers: DraftAnswers, offered: readonly OfferedCategory[]): ApplicationInput {
  const experience = experienceInput(answers.experience);
  return {
    ...answers.contact,
    yearsExperience: experience.yearsExperience as number,
    summary: experience.summary,
    employment: experience.employment as ApplicationInput['employment'],
    referees: answers.references as ApplicationInput['referees'],
    categories: offered.filter((c) => (answers.skills[c.key] ?? '') !== '').map((c) => ({ key: c.key, level: answers.skills[c.key] as (typeof EXPERT_LEVELS)[number] })),
  };
}

/** The step holding a field of applyAsExpert's errors. */
export function stepOfField(field: string): WizardStep {
  const head = field.split('.')[0];
  if (head === 'name' || head === 'email' || head === 'phone') return 'contact';
  if (head === 'categories') return 'skills';
  if (head === 'yearsExperience' || head === 'summary' || head === 'employment') return 'experience';
  if (head === 'referees') return 'references';
  return 'review';
}

/** The first problem of each field, keyed by its path (`employment.0.from`), as applyAsExpert keys them. */
function issues(result: z.ZodSafeParseResult<unknown>): StepErrors {
  if (result.success) return {};
  const errors: StepErrors = {};
  for (const issue of result.error.issues) {
    const path = issue.path.slice(0, 3).map(String).join('.') || 'form';
    errors[path] ??= issue.message;
  }
  return errors;
}
