/**
 * A worker process for the multi-process job tests: opens DATABASE_URL and runs the jobs of
 * job-definitions-for-workers.ts until SIGTERM. No test-framework imports.
 */
import { openDatabase } from '../../src/db/database.ts';
import { createJobs } from '../../src/jobs/agenda.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { jobContext } from './job-context.ts';
import { countRun, slowRun } from './job-definitions-for-workers.ts';

const db = await openDatabase(process.env.DATABASE_URL!, { migrate: false });
const jobs = createJobs(
  { ...jobContext(db), logger: createLogger(process.env.LOG_LEVEL ?? 'warn') },
  { pollMs: Number(process.env.JOBS_POLL_MS ?? 100), definitions: [countRun, slowRun], workerName: `worker-${process.pid}` },
);
await jobs.start();
console.log(JSON.stringify({ ready: true, pid: process.pid }));
process.on('SIGTERM', () => {
  void jobs.stop(5000).then(async () => {
    await db.close();
    process.exit(0);
  });
});
