import { sql, type Kysely } from 'kysely';

// Push updates, webhooks, cancel and idempotency (issue 4).
export async function up(db: Kysely<unknown>): Promise<void> {
  // Bumped by every visible change (status, progress): long-poll and SSE compare it, SSE uses it as the event id.
  await db.schema
    .alterTable('requests')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  // The public base URL the client used, so a worker can build the same absolute URLs for a webhook.
  await db.schema.alterTable('requests').addColumn('base_url', 'text').execute();
  await db.schema.alterTable('requests').addColumn('webhook_url', 'text').execute();
  await db.schema.alterTable('requests').addColumn('output_url', 'text').execute();
  await db.schema.alterTable('requests').addColumn('idempotency_key', 'text').execute();
  await db.schema.alterTable('requests').addColumn('request_hash', 'text').execute();
  await db.schema
    .createIndex('requests_idempotency')
    .on('requests')
    .columns(['account_id', 'idempotency_key'])
    .unique()
    .where(sql.ref('idempotency_key'), 'is not', null)
    .execute();

  await db.schema.alterTable('accounts').addColumn('webhook_secret', 'text').execute();

  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('lease_expires_at', 'bigint')
    .addColumn('last_status', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('delivered_at', 'bigint')
    .execute();
  await db.schema.createIndex('webhook_deliveries_due').on('webhook_deliveries').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('webhook_deliveries_request').on('webhook_deliveries').column('request_id').execute();
}
