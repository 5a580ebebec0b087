import { pino, type Logger as PinoLogger } from 'pino';

export type Logger = PinoLogger;

/** Structured JSON logs on stderr; `REELAY_LOG_LEVEL` (config `logLevel`) picks the level. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'reelay' } }, pino.destination(2));
}

/** A logger that drops everything, for tests and library use. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
