/**
 * Logs: JSON lines on stdout (what log collectors read), or, for a person at a terminal, pino-pretty's
 * readable lines (LOG_FORMAT=auto picks by whether stdout is a TTY). Header redaction is a second line
 * of defence: headers are not logged at all.
 */
import { pino, type Logger } from 'pino';
import pretty from 'pino-pretty';

export type LogFormat = 'auto' | 'json' | 'pretty';

export function createLogger(level: string, format: LogFormat = 'json'): Logger {
  const options = {
    level,
    base: { service: 'task-viewer-api' },
    redact: ['req.headers["x-api-key"]', 'req.headers.authorization'],
  };
  const readable = format === 'pretty' || (format === 'auto' && process.stdout.isTTY);
  if (!readable) return pino(options);
  // Synchronous, so nothing is lost when the process exits right after logging.
  return pino(options, pretty({ colorize: true, sync: true, ignore: 'pid,hostname,service', translateTime: 'SYS:HH:MM:ss.l' }));
}
