import { Router } from 'express';
import type { Database } from '../db/database.ts';
import type { Logger } from '../lib/logger.ts';

/** GET /healthz: 200 when the database answers, 503 otherwise (for load balancers and probes). */
export function healthRoutes(db: Pick<Database, 'ping'>, logger: Logger): Router {
  const router = Router();
  router.get('/healthz', async (_req, res) => {
    try {
      await db.ping();
      res.json({ db: 'ok' });
    } catch (err) {
      logger.warn({ err }, 'health check: database unreachable');
      res.status(503).json({ db: 'unreachable' });
    }
  });
  return router;
}
