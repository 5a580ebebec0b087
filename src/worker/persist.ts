import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../logger.js';

const ATTEMPTS = 5;

/**
 * Writes an attempt's outcome to the store, retrying while the store is unreachable (a dropped
 * connection, a failover). A store error must never turn into a FAILED request: if every try
 * fails, the row is left PROCESSING and its lease runs out, so another attempt runs it again.
 */
export async function persist<T>(what: string, write: () => Promise<T>, log: Logger): Promise<T | undefined> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (err) {
      if (attempt >= ATTEMPTS) {
        log.error({ err, what }, 'store write failed repeatedly; leaving the request to its lease');
        return undefined;
      }
      log.warn({ err, what, attempt }, 'store write failed; retrying');
      await sleep(250 * 2 ** (attempt - 1));
    }
  }
}
