import type { RequestHandler } from 'express';

/**
 * Counts the HTTP requests this process is answering. Many at once means callers are
 * waiting on this process: background work that can wait (see the job runner) holds off.
 */
export class RequestsInFlight {
  private count = 0;

  /** Express middleware: mount first, so every request is counted until its response ends. */
  readonly middleware: RequestHandler = (_req, res, next) => {
    this.count++;
    let counted = true;
    const done = () => {
      if (counted) this.count--;
      counted = false;
    };
    res.once('finish', done);
    res.once('close', done);
    next();
  };

  get current(): number {
    return this.count;
  }
}
