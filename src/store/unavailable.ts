import { isDeadConnection } from './postgres/resilient-pool.js';

/** Codes of a database that cannot answer now (refused, overloaded, locked), not of a wrong statement. */
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ETIMEDOUT', 'EHOSTUNREACH', 'SQLITE_BUSY', 'SQLITE_LOCKED', '53300', '57P03']);

/**
 * Whether a failed call failed because the store could not be reached or was busy past its
 * timeout: a connection lost mid-statement, a server restarting or refusing connections, a pool
 * that could not connect in time, SQLite's lock held past busy_timeout. The same call may succeed
 * a moment later, so a client is told to retry (503), not that the server has a bug (500).
 */
export function isStoreUnavailable(err: unknown): boolean {
  if (isDeadConnection(err)) return true;
  const e = err as { code?: unknown; message?: unknown } | null;
  if (typeof e?.code === 'string' && UNAVAILABLE_CODES.has(e.code)) return true;
  return typeof e?.message === 'string' && /timeout exceeded when trying to connect|Connection terminated due to connection timeout/i.test(e.message);
}
