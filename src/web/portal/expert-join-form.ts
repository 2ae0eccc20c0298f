import { EXPERT_LEVEL_NAMES, EXPERT_LEVELS } from '../../domain/experts/expert-levels.ts';
import { EMPLOYMENT_MAX, REFEREES_MAX, REFEREES_MIN, emptyJob, emptyReferee, type DraftAnswers, type OfferedCategory, type StepErrors, type WizardStep } from '../../domain/experts/application-draft.ts';
import { JOB_DESCRIPTION_MAX, SUMMARY_MAX } from '../../domain/experts/apply-as-expert.ts';
import { toPlainText } from '../../lib/plain-text.ts';

/**
 * The wizard's forms, both ways: a step's posted fields into the draft's answers (named as
 * applyAsExpert keys its errors: `email`, `categories.<key>`, `employment.0.from`,
 * `referees.1.name` …), and the answers with their errors into what a step's view shows.
 */

/** The longest a single value is kept (longer than any rule allows, so the rule explains; never unbounded). */
const KEEP_MAX = 4000;

type Body = Record<string, unknown>;
const read = (body: Body, name: string): string => {
  const v = body[name];
  return typeof v === 'string' ? toPlainText(v).slice(0, KEEP_MAX) : '';
};

/** A row count posted back (how many jobs or referees the form had), within bounds. */
const rows = (body: Body, name: string, min: number, max: number): number => {
  const n = Number(read(body, name));
  return Number.isInteger(n) ? Math.min(max, Math.max(min, n)) : min;
};

/** The answers with this step's fields as posted (other steps' answers untouched). */
export function readStep(step: WizardStep, body: Body, answers: DraftAnswers, offered: readonly OfferedCategory[]): DraftAnswers {
  const next: DraftAnswers = structuredClone(answers);
  switch (step) {
    case 'contact':
      next.contact = { name: read(body, 'name'), email: read(body, 'email'), phone: read(body, 'phone') };
      break;
    case 'skills':
      next.skills = Object.fromEntries(offered.map((c) => [c.key, read(body, `categories.${c.key}`)]));
      break;
    case 'experience': {
      const n = rows(body, 'jobs', 1, EMPLOYMENT_MAX);
      next.experience = {
        jobs: Array.from({ length: n }, (_, i) => ({
          employer: read(body, `employment.${i}.employer`),
          role: read(body, `employment.${i}.role`),
          from: read(body, `employment.${i}.from`),
          to: read(body, `employment.${i}.to`),
          current: read(body, `employment.${i}.current`) === 'yes',
          description: read(body, `employment.${i}.description`),
        })),
        yearsExperience: read(body, 'yearsExperience'),
        summary: read(body, 'summary'),
      };
      break;
    }
    case 'references': {
      const n = rows(body, 'referees', REFEREES_MIN, REFEREES_MAX);
      next.references = Array.from({ length: n }, (_, i) => ({ name: read(body, `referees.${i}.name`), contact: read(body, `referees.${i}.contact`) }));
      break;
    }
    case 'review':
      break;
  }
  return next;
}

/** What an "Add another" or "Remove" button asks for, as `add-job`, `remove-job-2`, `add-referee`, `remove-referee-0`. */
export function changeRows(answers: DraftAnswers, action: string): DraftAnswers | undefined {
  const next = structuredClone(answers);
  const jobs = next.experience.jobs;
  const refs = next.references;
  if (action === 'add-job') {
    if (jobs.length < EMPLOYMENT_MAX) jobs.push(emptyJob());
    return next;
  }
  if (action === 'add-referee') {
    if (refs.length < REFEREES_MAX) refs.push(emptyReferee());
    return next;
  }
  const remove = /^remove-(job|referee)-([0-9])$/.exec(action);
  if (!remove) return undefined;
  const i = Number(remove[2]);
  if (remove[1] === 'job' && jobs.length > 1 && i < jobs.length) jobs.splice(i, 1);
  if (remove[1] === 'referee' && refs.length > REFEREES_MIN && i < refs.length) refs.splice(i, 1);
  return next;
}

/** An id for a field name (`employment.0.from` → `f-employment-0-from`). */
export const fieldId = (name: string): string => `f-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;

interface Field {
  id: string;
  name: string;
  label: string;
  value: string;
  error?: string | undefined;
  type: string;
  required: boolean;
  hint?: string;
  maxlength?: number;
  autocomplete?: string;
}

const field = (name: string, label: string, value: string, errors: StepErrors, extra: Partial<Field> = {}): Field => ({ id: fieldId(name), name, label, value, error: errors[name], type: 'text', required: true, ...extra });

/** What a step's view shows: its fields with values and errors, and the summary linking each error to its field. */
export function stepView(step: WizardStep, answers: DraftAnswers, errors: StepErrors, offered: readonly OfferedCategory[]) {
  const errorList: { target: string; message: string }[] = [];
  const link = (key: string, target: string) => {
    if (errors[key]) errorList.push({ target, message: errors[key] });
  };
  switch (step) {
    case 'contact': {
      const fields = [
        field('name', 'Full name', answers.contact.name, errors, { autocomplete: 'name', maxlength: 200 }),
        field('email', 'Email address', answers.contact.email, errors, { type: 'email', autocomplete: 'email', maxlength: 320, hint: 'Our managers write to you here; Save and exit sends your link here.' }),
        field('phone', 'Phone number', answers.contact.phone, errors, { type: 'tel', autocomplete: 'tel', maxlength: 40, hint: 'With the country code, like +41 44 123 45 67.' }),
      ];
      for (const f of fields) link(f.name, f.id);
      return { fields, errorList };
    }
    case 'skills': {
      const categories = offered.map((c) => {
        const name = `categories.${c.key}`;
        const chosen = answers.skills[c.key] ?? '';
        return {
          id: fieldId(name),
          name,
          label: c.name,
          error: errors[name],
          options: [{ value: '', label: 'Not applying', selected: chosen === '' }, ...EXPERT_LEVELS.map((l) => ({ value: l, label: EXPERT_LEVEL_NAMES[l], selected: chosen === l }))],
        };
      });
      if (categories[0]) link('categories', categories[0].id);
      for (const c of categories) link(c.name, c.id);
      return { categories, categoriesError: errors.categories, errorList };
    }
    case 'experience': {
      const jobs = answers.experience.jobs.map((j, i) => {
        const p = `employment.${i}`;
        const f = {
          employer: field(`${p}.employer`, 'Employer', j.employer, errors, { autocomplete: 'organization', maxlength: 200, hint: 'Or "Self-employed".' }),
          role: field(`${p}.role`, 'Your role', j.role, errors, { autocomplete: 'organization-title', maxlength: 200 }),
          from: field(`${p}.from`, 'From', j.from, errors, { maxlength: 7, hint: 'Year and month, like 2019-04.' }),
          to: field(`${p}.to`, 'To', j.current ? '' : j.to, errors, { maxlength: 7, required: false, hint: 'Year and month, like 2023-10. Leave empty and tick the box below if you still work there.' }),
          description: field(`${p}.description`, 'What you did there', j.description, errors, { required: false, maxlength: JOB_DESCRIPTION_MAX }),
        };
        for (const x of Object.values(f)) link(x.name, x.id);
        return { number: i + 1, index: i, anchor: `job-${i + 1}`, ...f, current: { id: fieldId(`${p}.current`), name: `${p}.current`, checked: j.current }, removable: answers.experience.jobs.length > 1 };
      });
      const years = field('yearsExperience', 'Years of experience in IT', answers.experience.yearsExperience, errors, { maxlength: 3, hint: 'A whole number, like 5.' });
      const summary = field('summary', 'A short summary of your experience', answers.experience.summary, errors, { maxlength: SUMMARY_MAX, hint: 'What you have worked on, certifications, the systems you know best (at least 20 characters).' });
      link('yearsExperience', years.id);
      link('summary', summary.id);
      return { jobs, jobCount: jobs.length, canAddJob: jobs.length < EMPLOYMENT_MAX, years, summary, errorList };
    }
    case 'references': {
      const referees = answers.references.map((r, i) => {
        const f = {
          name: field(`referees.${i}.name`, 'Name', r.name, errors, { maxlength: 200 }),
          contact: field(`referees.${i}.contact`, 'Email or phone', r.contact, errors, { maxlength: 320 }),
        };
        link(f.name.name, f.name.id);
        link(f.contact.name, f.contact.id);
        return { number: i + 1, index: i, anchor: `referee-${i + 1}`, ...f, removable: answers.references.length > REFEREES_MIN };
      });
      link('referees', referees[0]!.name.id);
      return { referees, refereeCount: referees.length, canAddReferee: referees.length < REFEREES_MAX, errorList };
    }
    case 'review': {
      for (const message of Object.values(errors)) errorList.push({ target: 'review', message });
      const levels = offered.filter((c) => (answers.skills[c.key] ?? '') !== '').map((c) => ({ name: c.name, level: EXPERT_LEVEL_NAMES[answers.skills[c.key] as keyof typeof EXPERT_LEVEL_NAMES] ?? answers.skills[c.key] }));
      return { answers, levels, errorList };
    }
  }
}
