import type { Job } from 'agenda';
import type { Logger } from '../lib/logger.ts';
import type { SequelizeJobRepository } from './sequelize-backend/index.ts';

/**
 * Renews a running job's claim every `everyMs`, so that claims can be short: a job whose
 * process died is taken over when its claim runs out (CLAIM_MS), while one that runs long
 * keeps it. Each renewal is conditional on the claim still being this run's; one that was
 * taken over meanwhile (this process stalled past the claim) is logged and no longer renewed.
 */
export function keepClaimAlive(repository: Pick<SequelizeJobRepository, 'renewClaim'>, job: Job<unknown>, everyMs: number, logger: Logger): { stop(): Promise<void> } {
  let renewing: Promise<void> = Promise.resolve();
  let lost = false;
  const timer = setInterval(() => {
    renewing = renewing.then(async () => {
      const held = job.attrs.lockedAt?.getTime();
      if (lost || held === undefined) return;
      const now = Math.max(Date.now(), held + 1);
      try {
        if (await repository.renewClaim(String(job.attrs._id), held, now)) job.attrs.lockedAt = new Date(now);
        else {
          lost = true;
          logger.warn({ job: job.attrs.name, jobId: String(job.attrs._id) }, 'a running job lost its claim to another worker (this process stalled past it)');
        }
      } catch (err) {
        logger.warn({ err, job: job.attrs.name }, 'could not renew the claim of a running job; trying again');
      }
    });
  }, everyMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await renewing;
    },
  };
}
