import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { migrateToLatest } from '../migrations/index.js';
import type { Database } from '../schema.js';
import { createSqlStore } from '../sql/sql-store.js';
import type { Store, StoreOptions } from '../store.js';
import { ResilientPool } from './resilient-pool.js';

export interface PostgresOptions {
  url: string;
  /** Schema holding Reelay's tables (created if missing); default: the connection's search_path. */
  schema?: string | undefined;
  poolSize?: number;
  /** Told about connections the server dropped; they are discarded either way. */
  onConnectionError?: (err: Error) => void;
}

/** Schema names go into SQL identifiers and connection options, so only plain identifiers are accepted. */
export function assertSchemaName(schema: string): void {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid PostgreSQL schema name "${schema}": use lowercase letters, digits and _`);
}

/** A pg pool whose connections all use the Reelay schema. */
export function createPool(options: PostgresOptions): pg.Pool {
  if (options.schema) assertSchemaName(options.schema);
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    // Nothing may wait forever on a dead server or a lost socket: the worker loop and the api must get an error and go on.
    connectionTimeoutMillis: 10_000,
    query_timeout: 60_000,
    // Named per schema, so an operator (or a test) can find this installation's connections in pg_stat_activity.
    application_name: `reelay_${options.schema ?? 'public'}`,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  // A connection can be lost at any instant (server restart, failover, pg_terminate_backend, a network
  // reset), and a pg client with no 'error' listener throws that into the event loop and kills the
  // process. The pool listens only while a client is idle: it removes its listener while the client
  // is checked out (between a transaction's statements, say), so every client gets its own listener
  // for its whole life. The errored client answers its next query with a dead-connection error
  // (handled by the callers' retries) and the pool discards it when it is released.
  const report = options.onConnectionError ?? (() => {});
  pool.on('connect', (client) => client.on('error', report));
  pool.on('error', report);
  return pool;
}

/**
 * Opens the PostgreSQL store: creates the schema if needed and runs migrations. Several processes
 * starting at once are safe: Kysely's migrator serialises on a PostgreSQL advisory lock.
 */
export async function openPostgres(options: PostgresOptions, storeOptions: StoreOptions): Promise<{ store: Store; pool: pg.Pool }> {
  const pool = createPool(options);
  const db = createKysely(pool);
  try {
    if (options.schema) await sql`create schema if not exists ${sql.id(options.schema)}`.execute(db);
    await withRetryOnCatalogRace(() => migrateToLatest(db as unknown as Kysely<unknown>, options.schema));
  } catch (err) {
    await db.destroy();
    throw err;
  }
  return { store: createSqlStore('postgres', db, storeOptions), pool };
}

/** Kysely over a pool that survives dropped connections. */
export function createKysely(pool: pg.Pool): Kysely<Database> {
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool: new ResilientPool(pool) }) });
}

export async function openPostgresStore(options: PostgresOptions, storeOptions: StoreOptions): Promise<Store> {
  return (await openPostgres(options, storeOptions)).store;
}

/**
 * The migrator lists tables across the whole database; a schema dropped at that instant by
 * someone else (another installation, a parallel test run) makes the listing fail with
 * "schema ... does not exist" (SQLSTATE 3F000). That is not our problem: list again.
 */
async function withRetryOnCatalogRace(run: () => Promise<void>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause;
      if (attempt >= 5 || cause?.code !== '3F000') throw err;
      await new Promise((r) => setTimeout(r, 50 * attempt));
    }
  }
}
