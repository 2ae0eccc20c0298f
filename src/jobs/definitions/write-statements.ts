import { z } from 'zod';
import { writeStatements } from '../../domain/money/write-statements.ts';
import { defineJob } from '../define-job.ts';

export const WRITE_STATEMENTS = 'statements.write';

/**
 * Hourly (see agenda.ts): writes the experts' statements of every period that has ended
 * and has none yet (domain/money/write-statements.ts). Running it again, or late, is
 * harmless: a period is written once.
 */
export const writeStatementsJob = defineJob({
  name: WRITE_STATEMENTS,
  payload: z.object({}),
  options: { concurrency: 1 },
  async handler(ctx) {
    const written = await writeStatements(ctx);
    for (const w of written) ctx.logger.info({ period: w.period, statements: w.statements }, 'statements written');
  },
});
