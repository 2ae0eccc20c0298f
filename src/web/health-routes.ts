import { Router } from 'express';
import type { Database } from '../db/database.ts';
import type { Logger } from '../lib/logger.ts';

/**
 * GET /healthz: 200 when the database answers and jobs are being processed, 503 otherwise.
 * `slack` says whether Slack is configured (`sandbox`: the built-in stand-in); off is not unhealthy (tickets are stored and
 * their posts wait), but an operator should see it.
 */
export function healthRoutes(db: Pick<Database, 'ping'>, jobs: { processing(): boolean }, logger: Logger, state: { slack: 'on' | 'off' | 'sandbox' }): Router {
  const router = Router();
  router.get('/healthz', async (_req, res) => {
    const jobsState = jobs.processing() ? 'ok' : 'stopped';
    try {
      await db.ping();
      res.status(jobsState === 'ok' ? 200 : 503).json({ db: 'ok', jobs: jobsState, slack: state.slack });
    } catch (err) {
      logger.warn({ err }, `health check: ${err instanceof Error ? err.message : 'database unreachable'}`);
      res.status(503).json({ db: 'unreachable', jobs: jobsState, slack: state.slack });
    }
  });
  return router;
}
