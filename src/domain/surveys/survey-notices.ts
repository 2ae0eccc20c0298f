import type { SurveyRow } from '../../db/repositories/surveys.ts';
import type { SurveyLinks } from './survey-token.ts';

/** Which notice of the survey's timeline: the link at Resolve, the reminder, the final reminder. */
export type SurveyNotice = 'link' | 'reminder' | 'final';

/**
 * The words of a survey notice, without the link: the link is added where the notice is
 * shown to the customer (customerText), so the transcript never holds the token.
 */
export function surveyNoticeText(notice: SurveyNotice, o: { expertLabel?: string; publicId: string }): string {
  switch (notice) {
    case 'link':
      return `${o.expertLabel ?? 'Your expert'} marked your ticket ${o.publicId} as resolved. If something is still not right, reply here. Otherwise, please tell us how it went (three questions, a minute):`;
    case 'reminder':
      return `A reminder: how did it go with your ticket ${o.publicId}? Your answer decides who helps next (three questions, a minute):`;
    case 'final':
      return `Last reminder: if we do not hear from you, your ticket ${o.publicId} will be closed as resolved. Tell us how it went:`;
  }
}

/**
 * A transcript message as its customer sees it: a survey notice gets its link while the
 * survey waits for an answer, and says it is closed once answered (or filled by defaults).
 */
export function customerText(message: { body: string; surveyId?: number | null }, survey: Pick<SurveyRow, 'tokenSalt' | 'status'> | undefined, links: SurveyLinks): string {
  const notice = surveyNotice(message, survey, links);
  return notice.url ? `${notice.text} ${notice.url}` : notice.text;
}

/**
 * customerText in its two parts, for channels that show a link apart from the words (Slack):
 * the words, and the survey's link while it waits for an answer.
 */
export function surveyNotice(message: { body: string; surveyId?: number | null }, survey: Pick<SurveyRow, 'tokenSalt' | 'status'> | undefined, links: SurveyLinks): { text: string; url?: string } {
  if (!message.surveyId) return { text: message.body };
  if (!survey || survey.status !== 'pending') return { text: `${message.body} (the survey is closed — thank you)` };
  return { text: message.body, url: links.urlFor(survey.tokenSalt) };
}
