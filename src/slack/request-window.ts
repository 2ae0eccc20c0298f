import type { RequestHandler } from 'express';
import type { Logger } from '../lib/logger.ts';

/** Slack's requests are refused when their timestamp is further than this from now, either way. */
export const SLACK_REQUEST_WINDOW_MS = 5 * 60 * 1000;

/**
 * Refuses (401) a request to the Slack route whose `X-Slack-Request-Timestamp` is not within
 * five minutes of now. Bolt checks the signature and refuses timestamps five minutes in the
 * past, but takes any in the future: a correctly signed request dated ahead could be
 * replayed until then. Reads only headers, so Bolt still gets the raw body to check.
 */
export function slackRequestWindow(logger: Logger, now: () => number = Date.now): RequestHandler {
  return (req, res, next) => {
    const header = req.get('x-slack-request-timestamp');
    const sentAt = header && /^\d{1,12}$/.test(header) ? Number(header) * 1000 : Number.NaN;
    if (Number.isNaN(sentAt) || Math.abs(now() - sentAt) > SLACK_REQUEST_WINDOW_MS) {
      logger.warn({ timestamp: header ?? null, ip: req.ip }, 'Slack request refused: its timestamp is missing or more than five minutes from now');
      res.status(401).send('The request timestamp is missing or more than five minutes from now.');
      return;
    }
    next();
  };
}
