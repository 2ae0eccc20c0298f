import { parseRouting } from '../../src/config/routing.ts';
import type { Database } from '../../src/db/database.ts';
import type { JobContext } from '../../src/jobs/define-job.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { surveyLinks } from '../../src/domain/surveys/survey-token.ts';
import { accountLinks } from '../../src/domain/accounts/account-links.ts';
import { testRouting } from './test-routing.ts';

/** A job context for tests of the job machinery itself, whose jobs schedule no further work. */
export function jobContext(db: Database): JobContext {
  return {
    db,
    logger: createLogger('silent'),
    routing: parseRouting(JSON.stringify(testRouting()), 'test routing'),
    now: () => new Date(),
    surveyLinks: surveyLinks('test secret', 'http://helpnet.test'),
    accountLinks: accountLinks('test secret', 'http://helpnet.test'),
    outbox: {
      add: async () => {
        throw new Error('this test context has no outbox');
      },
    },
  };
}
