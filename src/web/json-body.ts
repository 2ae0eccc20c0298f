import express, { type RequestHandler } from 'express';

export const NOT_JSON = 'The body is not valid JSON.';

/** 65536 → "64 KB". */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KB`;
  return `${bytes} bytes`;
}

/**
 * A JSON body parser for one widget route whose failures are answered by the route, not by
 * the last-resort handler: malformed JSON gets 400 in the route's validation shape
 * (`{ error: 'invalid', errors: { body } }`), a body over `limitBytes` gets 413 with a
 * message naming the limit and, in `hint`, how long the route's long field may be.
 */
export function jsonBody(opts: { limitBytes: number; hint: string }): RequestHandler {
  const parse = express.json({ limit: opts.limitBytes });
  return (req, res, next) => {
    parse(req, res, (err?: unknown) => {
      const type = (err as { type?: unknown } | undefined)?.type;
      if (type === 'entity.parse.failed') {
        res.status(400).json({ error: 'invalid', errors: { body: NOT_JSON } });
      } else if (type === 'entity.too.large') {
        res.status(413).json({ error: 'too_large', message: `The request is larger than ${formatBytes(opts.limitBytes)}, the most this accepts. ${opts.hint}` });
      } else {
        next(err);
      }
    });
  };
}
