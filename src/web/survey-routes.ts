import express, { Router, type ErrorRequestHandler, type RequestHandler, type Response } from 'express';
import { pageSecurityHeaders } from './page-security.ts';
import { answerSurvey, viewSurvey } from '../domain/surveys/answer-survey.ts';
import type { DomainContext } from '../domain/domain-context.ts';
import type { Logger } from '../lib/logger.ts';
import { formInput, parseSurveyForm, surveyAnsweredPage, surveyFormPage, surveyThanksPage } from './survey-presenter.ts';
import { loadViews, publicFile } from './views.ts';

/**
 * The most a survey form's body may be. The largest valid answer is a 2,000-character
 * comment and three short fields: at most 9 bytes a character once percent-encoded (a
 * three-byte UTF-8 character), so under 18 KB. A comment merely too long is read and gets
 * its message on the field; only a body far beyond any answer is refused unread, with 413.
 */
export const SURVEY_BODY_LIMIT_BYTES = 32 * 1024;

/** The survey pages' headers: those of every page (page-security.ts). */
const securityHeaders = pageSecurityHeaders;

/** Survey pages hold a customer's ticket and answer: never cached or kept by a browser or proxy. */
const noStore: RequestHandler = (_req, res, next) => {
  res.set('Cache-Control', 'no-store');
  next();
};

/**
 * The customer's satisfaction survey, `GET/POST /survey/:token`: no login, the link's token
 * is the key. The form (200); a valid answer → thank-you page (the ticket closes); a survey
 * already answered or filled by the defaults → "already answered", whatever is posted; an
 * unknown or malformed token → 404 page; a missing or out-of-range value → 400 with the
 * form as sent and a message by each field; a body over the limit → 413 page.
 */
export function surveyRoutes(ctx: DomainContext, opts: { logger?: Logger } = {}): Router {
  const render = loadViews(['survey-form', 'survey-thanks', 'survey-answered', 'survey-not-found', 'survey-problem']);
  const css = publicFile('survey.css');
  const router = Router();

  const page = (res: Response, status: number, view: string, data: Record<string, unknown>) => {
    res.status(status).type('html').send(render(view, data));
  };
  const notFoundPage = (res: Response) => page(res, 404, 'survey-not-found', { title: 'Survey not found' });
  const problemPage = (res: Response, status: number, heading: string, message: string, backTo?: string) => page(res, status, 'survey-problem', { title: heading, heading, message, backTo });

  router.use('/survey', securityHeaders, noStore);
  router.use('/survey.css', securityHeaders);

  router.get('/survey.css', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=3600').type('css').send(css);
  });

  const formBody = express.urlencoded({ extended: false, limit: SURVEY_BODY_LIMIT_BYTES, parameterLimit: 20 });
  const parseForm: RequestHandler = (req, res, next) => {
    formBody(req, res, (err?: unknown) => {
      if (!err) return next();
      const { type, status } = err as { type?: unknown; status?: unknown };
      if (type === 'entity.too.large' || type === 'parameters.too.many') problemPage(res, 413, 'Your answer is too long', 'Please go back and shorten your comment to 2,000 characters or fewer.', req.originalUrl);
      else if (typeof status === 'number' && status >= 400 && status < 500) problemPage(res, status, 'We could not read your answer', 'Please go back and send the form again.');
      else next(err);
    });
  };

  router.get('/survey/:token', async (req, res) => {
    const view = await viewSurvey(ctx, String(req.params.token));
    if (!view) return notFoundPage(res);
    if (view.status !== 'pending') return page(res, 200, 'survey-answered', surveyAnsweredPage(view));
    page(res, 200, 'survey-form', surveyFormPage(view));
  });

  router.post('/survey/:token', parseForm, async (req, res) => {
    const token = String(req.params.token);
    const view = await viewSurvey(ctx, token);
    if (!view) return notFoundPage(res);
    if (view.status !== 'pending') return page(res, 200, 'survey-answered', surveyAnsweredPage(view));
    const input = formInput(req.body);
    const parsed = parseSurveyForm(input);
    if (!parsed.ok) return page(res, 400, 'survey-form', surveyFormPage(view, input, parsed.errors));
    const result = await answerSurvey(ctx, token, parsed.answer);
    if (result.outcome === 'not_found') return notFoundPage(res);
    if (result.outcome === 'already') return page(res, 200, 'survey-answered', surveyAnsweredPage(result.view));
    page(res, 200, 'survey-thanks', surveyThanksPage(result.view));
  });

  // Anything else under /survey (no token, a path too deep, another method) is a page too.
  router.use('/survey', (_req, res) => notFoundPage(res));

  // A link mangled on the way (bad percent-encoding) is a survey not found; our own failure is a
  // page as well, logged without the path, which holds the customer's token.
  const surveyErrors: ErrorRequestHandler = (err, req, res, next) => {
    if (res.headersSent) return next(err);
    const status = typeof err?.status === 'number' && err.status >= 400 && err.status < 600 ? err.status : 500;
    if (status === 400 && err instanceof URIError) return notFoundPage(res);
    if (status < 500) return problemPage(res, status, 'We could not read your request', 'Please open the link from the message we sent you again.');
    opts.logger?.error({ err, method: req.method, route: '/survey/:token' }, 'survey page failed');
    problemPage(res, 500, 'Something went wrong on our side', 'Please try again in a few minutes.');
  };
  router.use('/survey', surveyErrors);

  return router;
}
