import type { Kysely } from 'kysely';

// An operator can suspend an account: its keys stop working (403) until it is resumed; nothing is deleted.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('accounts').addColumn('suspended_at', 'bigint').execute();
}
