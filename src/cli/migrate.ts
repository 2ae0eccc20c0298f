import { ConfigError } from '../config/config-error.ts';
import { loadDotEnv } from '../lib/dotenv.ts';
import { parseEnv } from '../config/env.ts';
import { createSequelize, prepareDatabase } from '../db/create-sequelize.ts';
import { createMigrator } from '../db/migrator.ts';

/**
 * `npm run migrate` applies pending migrations; `npm run migrate -- down` reverts the last
 * one (`-- down --to 0` reverts all); `-- pending` and `-- executed` list them. Uses
 * DATABASE_URL only, so it runs without Slack, Zendesk or a routing file.
 */
loadDotEnv();
let databaseUrl: string;
try {
  databaseUrl = parseEnv({ DATABASE_URL: process.env.DATABASE_URL }).DATABASE_URL;
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(`helpnet: ${err.message}`);
    process.exit(2);
  }
  throw err;
}
const sequelize = createSequelize(databaseUrl);
await prepareDatabase(sequelize);
const migrator = createMigrator(sequelize, { info: (o) => console.log(JSON.stringify(o)) });
const argv = process.argv.slice(2);
if (argv.length === 0) argv.push('up');
if (argv.length === 1 && (argv[0] === 'pending' || argv[0] === 'executed')) {
  // Listed by name, one a line, and said when there are none (umzug prints an empty line).
  const listed = argv[0] === 'pending' ? await migrator.pending() : await migrator.executed();
  console.log(listed.length > 0 ? listed.map((m) => m.name).join('\n') : `no ${argv[0]} migrations`);
} else {
  await migrator.runAsCLI(argv);
}
await sequelize.close();
