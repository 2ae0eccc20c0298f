import { loadConfig } from '../../config/load-config.ts';
import { openDatabase } from '../../db/database.ts';
import { listDeadLetters, retryDeadLetter } from '../../jobs/sequelize-backend/dead-letters.ts';
import { loadDotEnv } from '../../lib/dotenv.ts';

const oneLine = (text: string, max: number) => {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
};

/**
 * `jobs failed`: the dead letters (jobs given up for good), one a line: id, job, tries, when,
 * the last error and the payload. `jobs retry ID`: runs one again, its tries counted afresh.
 */
export async function jobsCommand(action: string | undefined, id: string | undefined): Promise<number> {
  loadDotEnv();
  const config = loadConfig(process.env);
  const db = await openDatabase(config.databaseUrl, { migrate: false });
  try {
    if (action === 'failed') {
      const letters = await listDeadLetters(db.sequelize);
      if (letters.length === 0) {
        console.log('No failed jobs: nothing was given up.');
        return 0;
      }
      console.log(`${letters.length} failed job(s), given up after their tries (retry one with: npm run helpnet -- jobs retry ID):`);
      for (const l of letters) {
        console.log(`${l.id}\t${l.name}\t${l.failCount} tries\t${l.failedAt.toISOString()}\t${oneLine(l.failReason ?? '(no error recorded)', 200)}\t${oneLine(JSON.stringify(l.data), 200)}`);
      }
      return 0;
    }
    if (!id) {
      console.error('helpnet: jobs retry needs the id of a failed job (see: npm run helpnet -- jobs failed)');
      return 2;
    }
    if (!(await retryDeadLetter(db.sequelize, id, new Date()))) {
      console.error(`helpnet: ${id} is not a failed job (see: npm run helpnet -- jobs failed)`);
      return 1;
    }
    console.log(`Job ${id} will run again shortly (a running Helpnet picks it up).`);
    return 0;
  } finally {
    await db.close();
  }
}
