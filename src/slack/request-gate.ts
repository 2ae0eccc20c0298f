import { createHmac, timingSafeEqual } from 'node:crypto';
import { parse as parseQuery } from 'node:querystring';
import express, { type RequestHandler } from 'express';
import { z } from 'zod';
import type { Logger } from '../lib/logger.ts';

/** Slack's requests are refused when their timestamp is further than this from now, either way. */
export const SLACK_REQUEST_WINDOW_MS = 5 * 60 * 1000;

/** More than any request Slack sends (a view submission with every field filled is a few KB). */
const BODY_LIMIT = '1mb';

const user = z.object({ id: z.string().min(1) }, { error: 'has no user' });
/** Interactivity Slack sends on behalf of a person: each names who it was. */
const interaction = z.looseObject({
  type: z.enum(['block_actions', 'view_submission', 'view_closed', 'block_suggestion', 'shortcut', 'message_action', 'interactive_message']),
  user,
});
const command = z.looseObject({ command: z.string().startsWith('/', 'is not a slash command'), user_id: z.string({ error: 'has no user_id' }).min(1, 'has no user_id') });
const eventCallback = z.looseObject({ type: z.literal('event_callback'), event: z.looseObject({ type: z.string() }, { error: 'has no event' }) });
const urlVerification = z.looseObject({ type: z.literal('url_verification'), challenge: z.string() });

/**
 * The gate in front of Bolt on POST /slack/events. It refuses (401) a timestamp further than
 * five minutes from now either way (Bolt takes any in the future, so a signed request
 * dated ahead could be replayed until then), and answers 400 at once to a correctly
 * signed request that is not shaped as Slack shapes it (a payload of `null`, a click
 * without a user, an event without its event): Bolt would fail on it with a 500, or leave
 * it unanswered for three seconds. The body it reads is handed to Bolt, which checks the
 * signature itself and answers 401 to a request that is not Slack's.
 */
export function slackRequestGate(signingSecret: string, logger: Logger, now: () => number = Date.now): RequestHandler[] {
  const window: RequestHandler = (req, res, next) => {
    const header = req.get('x-slack-request-timestamp');
    const sentAt = header && /^\d{1,12}$/.test(header) ? Number(header) * 1000 : Number.NaN;
    if (Number.isNaN(sentAt) || Math.abs(now() - sentAt) > SLACK_REQUEST_WINDOW_MS) {
      logger.warn({ timestamp: header ?? null, ip: req.ip }, 'Slack request refused: its timestamp is missing or more than five minutes from now');
      res.status(401).send('The request timestamp is missing or more than five minutes from now.');
      return;
    }
    next();
  };
  const shape: RequestHandler = (req, res, next) => {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    // Bolt reads the body from here instead of the stream this gate has read.
    (req as unknown as { rawBody: Buffer }).rawBody = raw;
    if (!signedBySlack(signingSecret, req.get('x-slack-request-timestamp'), req.get('x-slack-signature'), raw)) return next();
    const problem = shapeProblem(raw.toString('utf8'), req.get('content-type') ?? '');
    if (!problem) return next();
    logger.warn({ problem, ip: req.ip }, 'Slack request refused: signed, but not shaped as Slack shapes it');
    res.status(400).json({ ok: false, error: 'malformed_payload', message: problem });
  };
  return [window, express.raw({ type: () => true, limit: BODY_LIMIT }), shape];
}

function signedBySlack(secret: string, timestamp: string | undefined, signature: string | undefined, body: Buffer): boolean {
  if (!timestamp || !signature) return false;
  const expected = Buffer.from(`v0=${createHmac('sha256', secret).update(`v0:${timestamp}:`).update(body).digest('hex')}`);
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** What is wrong with a body, read as Bolt reads it; undefined when nothing is. */
export function shapeProblem(text: string, contentType: string): string | undefined {
  let body: unknown;
  try {
    if (contentType.startsWith('application/x-www-form-urlencoded')) {
      const fields = parseQuery(text);
      body = typeof fields.payload === 'string' ? JSON.parse(fields.payload) : fields;
    } else body = JSON.parse(text);
  } catch {
    return 'the body is not JSON, nor a form with a JSON payload';
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) return 'the body is not a JSON object';
  const b = body as Record<string, unknown>;
  const check = (schema: z.ZodType, what: string) => {
    const parsed = schema.safeParse(b);
    return parsed.success ? undefined : `${what} ${parsed.error.issues[0]?.message ?? 'is malformed'}`;
  };
  if ('command' in b) return check(command, 'the slash command');
  if (b.type === 'event_callback') return check(eventCallback, 'the event');
  if (b.type === 'url_verification') return check(urlVerification, 'the URL verification');
  if (typeof b.type === 'string' && interaction.shape.type.safeParse(b.type).success) return check(interaction, `the ${b.type} payload`);
  return `Helpnet does not take Slack requests of type ${JSON.stringify(b.type ?? null)}`;
}
