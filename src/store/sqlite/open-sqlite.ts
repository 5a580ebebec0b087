import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from '../schema.js';
import { migrateToLatest } from '../migrations/index.js';
import { SqlStore } from '../sql-store.js';

/**
 * Opens (creating if needed) the embedded SQLite store. WAL lets readers (status polls, the CLI)
 * run beside the single writer; busy_timeout makes a second process wait for the lock instead of failing.
 */
export async function openSqliteStore(file: string): Promise<SqlStore> {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({
      database: async () => {
        const conn = new BetterSqlite3(file);
        conn.pragma('journal_mode = WAL');
        // FULL: an accepted request survives power loss too, not just a process crash.
        conn.pragma('synchronous = FULL');
        conn.pragma('busy_timeout = 5000');
        conn.pragma('foreign_keys = ON');
        return conn;
      },
    }),
  });
  await migrateToLatest(db as unknown as Kysely<unknown>);
  return new SqlStore('sqlite', db);
}
