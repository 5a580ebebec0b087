import type { Kysely } from 'kysely';

// Every submit counts the account's unfinished requests (the in-flight cap). Through
// requests_account that read every request the account ever made that retention still keeps,
// one row lookup each; by (account_id, status) it reads only the unfinished ones' index entries.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('requests_account_status').on('requests').columns(['account_id', 'status']).execute();
}
