import type { Kysely } from 'kysely';

// Front doors (issue 14): which API a request came through and the model name its client used,
// so each door shows only its own requests under its own ids. Null means Reelay's own (Segmind's) API.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('requests').addColumn('door', 'text').execute();
  await db.schema.alterTable('requests').addColumn('door_model', 'text').execute();
  await db.schema.createIndex('requests_account_door').on('requests').columns(['account_id', 'door', 'created_at']).execute();
}
