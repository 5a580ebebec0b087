import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import * as m001 from './001-initial.js';
import * as m002 from './002-credits-and-limits.js';
import * as m003 from './003-lifecycle.js';
import * as m004 from './004-engines.js';
import * as m005 from './005-doors.js';
import * as m006 from './006-account-suspension.js';
import * as m007 from './007-inflight-index.js';

/** Numbered, append-only migrations; imported statically so they work from source and from dist alike. */
const MIGRATIONS: Record<string, Migration> = {
  '001-initial': m001,
  '002-credits-and-limits': m002,
  '003-lifecycle': m003,
  '004-engines': m004,
  '005-doors': m005,
  '006-account-suspension': m006,
  '007-inflight-index': m007,
};

class StaticProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return MIGRATIONS;
  }
}

/** Brings the schema up to date; refuses to run against a database migrated by a newer Reelay. */
export async function migrateToLatest(db: Kysely<unknown>, schema?: string): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: new StaticProvider(),
    migrationTableName: 'reelay_migrations',
    migrationLockTableName: 'reelay_migrations_lock',
    // Named explicitly: Kysely looks for its tables across all schemas otherwise, and would take another schema's for ours.
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${message}`, { cause: error });
  }
}
