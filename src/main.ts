import { ConfigError } from './config/config-error.ts';
import { loadDotEnv } from './lib/dotenv.ts';
import { loadConfig, type Config } from './config/load-config.ts';
import { createLogger } from './lib/logger.ts';
import { startServer, type RunningServer } from './server.ts';

/** How often a server started by npm checks that npm is still there. */
const PARENT_CHECK_MS = 500;

/** Process entry (`npm start`): configuration → migrations → server; exits 2 on bad configuration. */
loadDotEnv();
let config: Config;
try {
  config = loadConfig(process.env);
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(`helpnet: ${err.message}`);
    process.exit(2);
  }
  throw err;
}

const logger = createLogger(config.logLevel);
for (const notice of config.notices) logger.warn(notice);

// Signals are handled from the start: one that arrives while starting stops the server once it is up.
let server: RunningServer | undefined;
let stopSignal: string | undefined;
const stop = () => {
  logger.info({ signal: stopSignal }, 'signal received');
  server!.close().then(
    () => process.exit(0),
    (err: unknown) => {
      logger.error({ err }, 'shutdown failed');
      process.exit(1);
    },
  );
};
const stopOn = (signal: string) => {
  if (stopSignal) return;
  stopSignal = signal;
  if (server) stop();
};
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => stopOn(signal));
// Run by `npm start`, Helpnet's parent is npm (through a shell), and npm does not pass a
// SIGTERM on: stopped (as `docker stop` stops it), npm exits and leaves the server running
// alone. So when the parent goes away, Helpnet stops as if it had been signalled.
if (process.env.npm_lifecycle_event) {
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) stopOn('SIGTERM (npm, which started Helpnet, has gone)');
  }, PARENT_CHECK_MS).unref();
}

try {
  server = await startServer(config, logger);
  if (stopSignal) stop();
} catch (err) {
  logger.fatal({ err }, 'Helpnet could not start');
  console.error(`helpnet: could not start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
