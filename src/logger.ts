import { pino, type Logger } from 'pino';

/** Structured JSON logs on stdout. Header redaction is a second line of defence: headers are not logged at all. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'task-viewer-api' },
    redact: ['req.headers["x-api-key"]', 'req.headers.authorization'],
  });
}
