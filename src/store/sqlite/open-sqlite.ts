import { mkdirSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import {
  CompiledQuery,
  Kysely,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type Driver,
  type SqliteDatabase,
  type SqliteDialectConfig,
} from 'kysely';
import type { Database } from '../schema.js';
import { migrateToLatest } from '../migrations/index.js';
import { createSqlStore } from '../sql/sql-store.js';
import type { Store, StoreOptions } from '../store.js';
import { openRateCounters } from './rate-counters.js';
import { openReadConnection } from './read-connection.js';

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

/** Distinct SQL texts kept prepared; the store's queries are a few dozen, `in (...)` lists add more. */
const STATEMENT_CACHE_SIZE = 256;

/**
 * Kysely's SQLite driver prepares every query anew; on a status poll, preparing cost as much as
 * running. better-sqlite3 statements are reusable (and re-prepared by SQLite itself after a
 * schema change), and the driver runs each to completion synchronously, so one prepared
 * statement per SQL text is safe. Least recently used texts are dropped beyond the cap.
 */
function withStatementCache(conn: BetterSqlite3.Database): SqliteDatabase {
  const statements = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => void conn.close(),
    prepare(sql: string) {
      let statement = statements.get(sql);
      if (statement) statements.delete(sql);
      else statement = conn.prepare(sql);
      statements.set(sql, statement);
      if (statements.size > STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value!);
      return statement;
    },
  };
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
        return withStatementCache(conn);
      },
    }),
  });
  await migrateToLatest(db as unknown as Kysely<unknown>);
  const store = createSqlStore('sqlite', db, options);
  if (file === ':memory:') return store;
  const counters = openRateCounters(join(dirname(file), `${basename(file, extname(file))}-rates.db`));
  const reads = openReadConnection(file);
  return {
    ...store,
    getRequest: reads.getRequest,
    countHit: counters.countHit,
    deleteRateWindowsBefore: counters.deleteRateWindowsBefore,
    async close() {
      reads.close();
      counters.close();
      await store.close();
    },
  };
}
