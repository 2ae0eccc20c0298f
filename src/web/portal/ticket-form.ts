import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { pickFields } from '../../domain/accounts/account-form.ts';

/** The new-ticket form's fields, and the reply box's. */
export const NEW_TICKET_FIELDS = ['category', 'description'] as const;
export type NewTicketField = (typeof NEW_TICKET_FIELDS)[number];
export const DESCRIPTION_MIN = 10;
export const DESCRIPTION_MAX = 4000;
export const REPLY_MAX = 4000;

/**
 * A form's submission id (a hidden field, new each time the form is shown): a form sent
 * twice (a double click, a retried request) files one ticket or one message. Anything not
 * shaped like one is replaced by a fresh id, so it can never name someone else's submission.
 */
export const newSubmissionId = (): string => randomBytes(16).toString('base64url');
export const submissionIdOf = (body: unknown): string => {
  const given = pickFields(body, ['submission'] as const).submission;
  return given && /^[A-Za-z0-9_-]{22}$/.test(given) ? given : newSubmissionId();
};

/** The new-ticket form checked: a category among `activeKeys`, a description of 10 to 4000 characters. */
export function checkNewTicket(input: Partial<Record<NewTicketField, string>>, activeKeys: ReadonlySet<string>) {
  const schema = z.object({
    category: z
      .string()
      .min(1, 'Choose the category closest to your problem.')
      .refine((key) => activeKeys.has(key), 'Choose one of the categories in the list.'),
    description: z
      .string()
      .trim()
      .min(DESCRIPTION_MIN, `Describe the problem in at least ${DESCRIPTION_MIN} characters, so an expert can help.`)
      .max(DESCRIPTION_MAX, `Keep the description under ${DESCRIPTION_MAX} characters (it has ${[...(input.description ?? '')].length}).`),
  });
  const parsed = schema.safeParse({ category: input.category ?? '', description: input.description ?? '' });
  if (parsed.success) return { ok: true as const, value: parsed.data };
  const errors: Partial<Record<NewTicketField, string>> = {};
  for (const issue of parsed.error.issues) errors[issue.path[0] as NewTicketField] ??= issue.message;
  return { ok: false as const, errors };
}

/** The reply box checked: some text, at most 4000 characters. */
export function checkReply(text: string | undefined): { ok: true; text: string } | { ok: false; error: string } {
  const trimmed = (text ?? '').trim();
  if (trimmed === '') return { ok: false, error: 'Write your message before sending it.' };
  if (trimmed.length > REPLY_MAX) return { ok: false, error: `Keep your message under ${REPLY_MAX} characters (it has ${[...trimmed].length}).` };
  return { ok: true, text: trimmed };
}
