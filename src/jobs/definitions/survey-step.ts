import { z } from 'zod';
import { WORK } from '../../domain/domain-context.ts';
import { runSurveyStep } from '../../domain/surveys/run-survey-step.ts';
import { defineJob } from '../define-job.ts';
import { retryUntilDone } from './delivery-retry.ts';

/**
 * A step of a survey's timeline (1 reminder, 2 final reminder, 3 defaults) came due. Retried
 * until it succeeds: given up, a ticket would wait for its survey for ever.
 */
export const surveyStep = defineJob({
  name: WORK.surveyStep,
  payload: z.object({ surveyId: z.number().int().positive(), step: z.union([z.literal(1), z.literal(2), z.literal(3)]) }),
  options: { retryDelay: retryUntilDone },
  async handler(ctx, payload) {
    const outcome = await runSurveyStep(ctx, payload);
    if (outcome !== 'stale') ctx.logger.info({ ...payload, outcome }, 'survey step');
  },
});
