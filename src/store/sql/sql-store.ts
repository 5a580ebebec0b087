import { sql } from 'kysely';
import type { Store, StoreOptions } from '../store.js';
import { accountQueries } from './accounts.js';
import type { Db, Dialect } from './db.js';
import { ledgerQueries } from './ledger.js';
import { lifecycleQueries } from './lifecycle.js';
import { rateLimitQueries } from './rate-limits.js';
import { requestQueries } from './requests.js';
import { webhookQueries } from './webhooks.js';
import { operationQueries } from './operations.js';

/** The Store written once in Kysely; backends differ only in how they open the database and in a few locks. */
export function createSqlStore(dialect: Dialect, db: Db, options: StoreOptions): Store {
  return {
    kind: dialect,
    async close() {
      await db.destroy();
    },
    async ping() {
      await sql`select 1`.execute(db);
    },
    async getOrCreateSetting(name, create) {
      await db
        .insertInto('settings')
        .values({ name, value: create() })
        .onConflict((oc) => oc.column('name').doNothing())
        .execute();
      const row = await db.selectFrom('settings').select('value').where('name', '=', name).executeTakeFirstOrThrow();
      return row.value;
    },
    ...accountQueries(db),
    ...ledgerQueries(db, dialect),
    ...rateLimitQueries(db),
    ...requestQueries(db, dialect, options.renderWebhook),
    ...lifecycleQueries(db, dialect, options.renderWebhook),
    ...webhookQueries(db, dialect),
    ...operationQueries(db),
  };
}
