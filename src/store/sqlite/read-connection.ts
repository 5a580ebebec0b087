import BetterSqlite3 from 'better-sqlite3';
import type { Selectable } from 'kysely';
import { toRequest } from '../rows.js';
import type { RequestsTable } from '../schema.js';
import type { Store } from '../store.js';

/**
 * The request read of status polls, on a connection of its own with its statement prepared once.
 * Through Kysely the read waited for the one connection (held across a whole group commit, fsync
 * included, while submits are being written) and paid the query's compilation on every poll.
 * A second connection reads the last committed state beside the writer (WAL), and cannot see
 * the writer's open transaction: a submit is visible once its commit is, as before.
 */
export function openReadConnection(file: string): Pick<Store, 'getRequest'> & { close(): void } {
  const db = new BetterSqlite3(file);
  db.pragma('busy_timeout = 10000');
  // Nothing written through this connection, ever: writes take the write lock and are the store's.
  db.pragma('query_only = ON');
  const byId = db.prepare<[string], Selectable<RequestsTable>>('select * from requests where id = ?');
  return {
    async getRequest(id) {
      const row = byId.get(id);
      return row ? toRequest(row) : undefined;
    },
    close: () => db.close(),
  };
}
