/** Structured JSON logging (pino). One root logger; modules take children with their name. */
import { pino, type Logger } from 'pino';

export type { Logger };

/** Creates the root logger. Logs go to stderr so the console adapter's chat stays on stdout. */
export function createLogger(level: string = 'info'): Logger {
  return pino({ level, base: { app: 'linli' } }, pino.destination(2));
}
