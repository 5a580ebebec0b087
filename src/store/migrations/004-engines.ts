import type { Kysely } from 'kysely';

// Remote engines (veo, segmind): whether the client's seed was applied, and claims filtered by engine.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('requests').addColumn('seed_honoured', 'integer').execute();
  await db.schema.createIndex('requests_engine_status').on('requests').columns(['engine', 'status', 'created_at']).execute();
}
