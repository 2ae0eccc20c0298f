import { z } from 'zod';
import { COMMENT_MAX, type SurveyAnswer, type SurveyView } from '../domain/surveys/answer-survey.ts';
import { expertLabel } from '../domain/relay/labels.ts';
import { toPlainText } from '../lib/plain-text.ts';

/** The survey form's fields as posted: each a string when it was sent once, else absent. */
export interface SurveyFormInput {
  solved?: string;
  timeliness?: string;
  helpfulness?: string;
  comment?: string;
}

export type SurveyField = keyof SurveyFormInput;
export type SurveyFormErrors = Partial<Record<SurveyField, string>>;

const COMMENT_MAX_TEXT = COMMENT_MAX.toLocaleString('en-US');

const MESSAGES = {
  solved: 'Tell us whether your problem was solved.',
  timeliness: 'Choose how quickly your ticket was handled, from 1 to 5.',
  helpfulness: 'Choose how helpful the expert was, from 1 to 5.',
} as const;

const score = (message: string) =>
  z
    .string({ error: message })
    .regex(/^[1-5]$/, message)
    .transform(Number);

/**
 * Line breaks count once, as the browser counts them against the textarea's maxlength
 * (it sends them as CR LF); the answer's comment is stored as plain text by the domain.
 */
const commentLength = (comment: string) => comment.replace(/\r\n?/g, '\n').length;

const surveyForm = z.object({
  solved: z.enum(['yes', 'no'], { error: MESSAGES.solved }).transform((v) => v === 'yes'),
  timeliness: score(MESSAGES.timeliness),
  helpfulness: score(MESSAGES.helpfulness),
  comment: z
    .string()
    .optional()
    .refine((c) => c === undefined || commentLength(c) <= COMMENT_MAX, { error: (issue) => `Please keep your comment to ${COMMENT_MAX_TEXT} characters or fewer (it has ${commentLength(String(issue.input)).toLocaleString('en-US')}).` }),
});

/** The form's fields out of whatever body was parsed: a field sent twice, or not as text, is as good as missing. */
export function formInput(body: unknown): SurveyFormInput {
  const input: SurveyFormInput = {};
  if (typeof body !== 'object' || body === null) return input;
  for (const field of ['solved', 'timeliness', 'helpfulness', 'comment'] as const) {
    const value: unknown = Object.hasOwn(body, field) ? (body as Record<string, unknown>)[field] : undefined;
    if (typeof value === 'string') input[field] = value;
  }
  return input;
}

/** The checked answer, or a message for each field that is wrong. */
export function parseSurveyForm(input: SurveyFormInput): { ok: true; answer: SurveyAnswer } | { ok: false; errors: SurveyFormErrors } {
  const parsed = surveyForm.safeParse(input);
  if (!parsed.success) {
    const errors: SurveyFormErrors = {};
    for (const issue of parsed.error.issues) {
      const field = issue.path[0];
      if (field === 'solved' || field === 'timeliness' || field === 'helpfulness' || field === 'comment') errors[field] ??= issue.message;
    }
    return { ok: false, errors };
  }
  const { solved, timeliness, helpfulness, comment } = parsed.data;
  return { ok: true, answer: { solved, timeliness, helpfulness, comment: comment === undefined || comment.trim() === '' ? null : comment } };
}

/** How the pages name the ticket and the expert: HN-n and the expert's alias, nothing else about them. */
function names(view: SurveyView) {
  return { publicId: view.publicId, categoryName: view.categoryName, expertLabel: view.expertAlias ? expertLabel(view.expertAlias) : 'your expert' };
}

const ERROR_TARGETS: Record<SurveyField, string> = { solved: 'solved-yes', timeliness: 'timeliness-1', helpfulness: 'helpfulness-1', comment: 'comment' };

/**
 * The form page's data: empty at first; after a refused answer, what the customer chose
 * checked again, their comment back in the box (as plain text) and a message by each field.
 */
export function surveyFormPage(view: SurveyView, input: SurveyFormInput = {}, errors: SurveyFormErrors = {}) {
  const rating = (name: 'timeliness' | 'helpfulness', legend: string, hint: string, unit: string) => ({
    name,
    legend,
    hint,
    unit,
    error: errors[name],
    options: [1, 2, 3, 4, 5].map((value) => ({ value, checked: input[name] === String(value) })),
  });
  const errorList = (Object.keys(ERROR_TARGETS) as SurveyField[]).filter((f) => errors[f]).map((f) => ({ target: ERROR_TARGETS[f], message: errors[f] }));
  return {
    ...names(view),
    title: `Survey for ticket ${view.publicId}`,
    hasErrors: errorList.length > 0,
    errors,
    errorList,
    solvedOptions: [
      { value: 'yes', label: 'Yes', checked: input.solved === 'yes' },
      { value: 'no', label: 'No', checked: input.solved === 'no' },
    ],
    ratings: [
      rating('timeliness', 'How quickly was your ticket handled?', '1 = very slowly, 5 = very quickly.', 'out of 5 for speed'),
      rating('helpfulness', 'How helpful was the expert?', '1 = not helpful at all, 5 = very helpful.', 'out of 5 for helpfulness'),
    ],
    comment: input.comment === undefined ? '' : toPlainText(input.comment),
    commentMax: COMMENT_MAX,
    commentMaxText: COMMENT_MAX_TEXT,
  };
}

export function surveyThanksPage(view: SurveyView) {
  return { ...names(view), title: `Thank you · ticket ${view.publicId}` };
}

export function surveyAnsweredPage(view: SurveyView) {
  return { ...names(view), title: `Survey already answered · ticket ${view.publicId}`, defaulted: view.status === 'defaulted' };
}
