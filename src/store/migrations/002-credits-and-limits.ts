import { sql, type Kysely } from 'kysely';

// Accounts gain a balance and limits; every change of a balance is a ledger entry.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('accounts')
    .addColumn('balance', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('accounts').addColumn('rpm_limit', 'integer').execute();
  await db.schema.alterTable('accounts').addColumn('inflight_limit', 'integer').execute();
  await db.schema
    .alterTable('requests')
    .addColumn('price', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('ledger')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addColumn('balance_after', 'bigint', (c) => c.notNull())
    .addColumn('request_id', 'text')
    .addColumn('reason', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ledger_account_seq').on('ledger').columns(['account_id', 'seq']).execute();
  // A request is charged at most once and refunded at most once, whatever retries or races happen.
  await db.schema
    .createIndex('ledger_request_kind')
    .on('ledger')
    .columns(['request_id', 'kind'])
    .unique()
    .where(sql.ref('request_id'), 'is not', null)
    .execute();

  await db.schema
    .createTable('rate_counters')
    .addColumn('bucket', 'text', (c) => c.notNull())
    .addColumn('window_start', 'bigint', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('rate_counters_pk', ['bucket', 'window_start'])
    .execute();
  await db.schema.createIndex('rate_counters_window').on('rate_counters').column('window_start').execute();
}
