import { sql } from 'kysely';
import type { Store } from '../store.js';
import type { Db } from './db.js';

/** Fixed-window counters in the store, so every api process shares one count per key. */
export function rateLimitQueries(db: Db): Pick<Store, 'countHit' | 'deleteRateWindowsBefore'> {
  return {
    async countHit(bucket, windowStart, amount = 1) {
      const row = await db
        .insertInto('rate_counters')
        .values({ bucket, window_start: windowStart, count: amount })
        .onConflict((oc) => oc.columns(['bucket', 'window_start']).doUpdateSet({ count: sql<number>`rate_counters.count + ${amount}` }))
        .returning('count')
        .executeTakeFirstOrThrow();
      return Number(row.count);
    },

    async deleteRateWindowsBefore(windowStart) {
      await db.deleteFrom('rate_counters').where('window_start', '<', windowStart).execute();
    },
  };
}
