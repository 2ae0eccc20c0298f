import type { JobDefinition } from '../define-job.ts';
import { purgeFinishedJobs } from './purge-finished-jobs.ts';

/** Every job the app runs. One file per job; add new ones here. */
export const jobDefinitions: JobDefinition[] = [purgeFinishedJobs];
