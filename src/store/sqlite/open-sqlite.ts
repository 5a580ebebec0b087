import { mkdirSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { CompiledQuery, Kysely, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver, type SqliteDialectConfig } from 'kysely';
import type { Database } from '../schema.js';
import { migrateToLatest } from '../migrations/index.js';
import { createSqlStore } from '../sql/sql-store.js';
import type { Store, StoreOptions } from '../store.js';
import { openRateCounters } from './rate-counters.js';

/**
 * Transactions take the write lock at BEGIN. With SQLite's default deferred BEGIN, two processes
 * (the server and the CLI) that both read and then write would deadlock on the lock upgrade and
 * one would fail with SQLITE_BUSY instead of waiting out busy_timeout.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly settings: SqliteDialectConfig) {
    super(settings);
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.settings);
  }
}

/**
 * Opens (creating if needed) the embedded SQLite store. WAL lets readers (status polls, the CLI)
 * run beside the single writer; busy_timeout makes a second process wait for the lock instead of failing.
 */
export async function openSqliteStore(file: string, options: StoreOptions): Promise<Store> {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Kysely<Database>({
    dialect: new ImmediateSqliteDialect({
      database: async () => {
        const conn = new BetterSqlite3(file);
        conn.pragma('journal_mode = WAL');
        // FULL: an accepted request survives power loss too, not just a process crash.
        conn.pragma('synchronous = FULL');
        conn.pragma('busy_timeout = 10000');
        conn.pragma('foreign_keys = ON');
        return conn;
      },
    }),
  });
  await migrateToLatest(db as unknown as Kysely<unknown>);
  const store = createSqlStore('sqlite', db, options);
  if (file === ':memory:') return store;
  const counters = openRateCounters(join(dirname(file), `${basename(file, extname(file))}-rates.db`));
  return {
    ...store,
    countHit: counters.countHit,
    deleteRateWindowsBefore: counters.deleteRateWindowsBefore,
    async close() {
      counters.close();
      await store.close();
    },
  };
}
