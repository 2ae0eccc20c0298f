import { pino, type Logger } from 'pino';

export type { Logger };

/** JSON logs to stdout; `level` from LOG_LEVEL. */
export function createLogger(level = 'info', destination?: NodeJS.WritableStream): Logger {
  return pino({ level, base: { app: 'helpnet' }, redact: ['*.token', '*.password', '*.secret'] }, destination ?? process.stdout);
}
