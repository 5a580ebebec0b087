import { sql } from 'kysely';
import { toRequest } from '../rows.js';
import type { Store, WebhookRenderer } from '../store.js';
import type { Db, Dialect } from './db.js';
import { failAndRefund } from './requests.js';
import { enqueueDelivery } from './webhooks.js';

type LifecycleQueries = Pick<Store, 'claimNext' | 'heartbeat' | 'release' | 'complete' | 'fail' | 'failExhausted'>;

/** The worker's side of a request: claim with a lease, heartbeat, and outcomes written only under the lease. */
export function lifecycleQueries(db: Db, dialect: Dialect, renderWebhook: WebhookRenderer): LifecycleQueries {
  const owned = (id: string, workerId: string) =>
    db.updateTable('requests').where('id', '=', id).where('status', '=', 'PROCESSING').where('lease_owner', '=', workerId);

  return {
    async claimNext(workerId, now, leaseMs, maxAttempts, engines) {
      if (engines !== undefined && engines.length === 0) return undefined;
      let candidate = db
        .selectFrom('requests')
        .select('id')
        .where((eb) =>
          eb.or([eb('status', '=', 'QUEUED'), eb.and([eb('status', '=', 'PROCESSING'), eb('lease_expires_at', '<', now), eb('attempts', '<', maxAttempts)])]),
        )
        .orderBy('created_at')
        .orderBy('id')
        .limit(1);
      if (engines !== undefined) candidate = candidate.where('engine', 'in', engines);
      // SQLite serialises writers, so the subquery and update are atomic; PostgreSQL needs the row lock.
      if (dialect === 'postgres') candidate = candidate.forUpdate().skipLocked();
      const row = await db
        .updateTable('requests')
        .set((eb) => ({
          status: 'PROCESSING',
          lease_owner: workerId,
          lease_expires_at: now + leaseMs,
          attempts: eb('attempts', '+', 1),
          progress: 0,
          started_at: eb.fn.coalesce('started_at', eb.val(now)),
          version: eb('version', '+', 1),
        }))
        .where('id', '=', candidate)
        .returningAll()
        .executeTakeFirst();
      return row ? toRequest(row) : undefined;
    },

    async heartbeat(id, workerId, now, leaseMs, progress) {
      const res = await owned(id, workerId)
        .set((eb) => ({
          lease_expires_at: now + leaseMs,
          // Progress only moves forward, whatever order heartbeats land in.
          progress: sql<number>`case when ${eb.ref('progress')} > ${progress} then ${eb.ref('progress')} else ${progress} end`,
          version: sql<number>`${eb.ref('version')} + case when ${eb.ref('progress')} < ${progress} then 1 else 0 end`,
        }))
        .executeTakeFirst();
      return Number(res.numUpdatedRows) === 1;
    },

    async release(id, workerId, countAttempt) {
      const res = await owned(id, workerId)
        .set((eb) => ({
          status: 'QUEUED',
          lease_owner: null,
          lease_expires_at: null,
          progress: 0,
          attempts: countAttempt ? eb.ref('attempts') : eb('attempts', '-', 1),
          version: eb('version', '+', 1),
        }))
        .executeTakeFirst();
      return Number(res.numUpdatedRows) === 1;
    },

    async complete(id, workerId, c) {
      return db.transaction().execute(async (tx) => {
        const row = await tx
          .updateTable('requests')
          .where('id', '=', id)
          .where('status', '=', 'PROCESSING')
          .where('lease_owner', '=', workerId)
          .set((eb) => ({
            status: 'COMPLETED',
            progress: 100,
            lease_owner: null,
            lease_expires_at: null,
            output_key: c.outputKey,
            output_url: c.outputUrl,
            seed_honoured: c.seedHonoured ? 1 : 0,
            output_bytes: c.outputBytes,
            inference_seconds: c.inferenceSeconds,
            completed_at: c.completedAt,
            expires_at: c.expiresAt,
            version: eb('version', '+', 1),
          }))
          .returningAll()
          .executeTakeFirst();
        if (!row) return false;
        if (row.webhook_url) {
          const payload = renderWebhook(toRequest(row));
          await enqueueDelivery(tx, { requestId: id, accountId: row.account_id, url: row.webhook_url, payload, now: c.completedAt });
        }
        return true;
      });
    },

    async fail(id, workerId, f) {
      return db.transaction().execute((tx) => failAndRefund(tx, dialect, renderWebhook, id, workerId, f));
    },

    async failExhausted(now, maxAttempts, retention) {
      const stuck = await db
        .selectFrom('requests')
        .select(['id', 'attempts'])
        .where('status', '=', 'PROCESSING')
        .where('lease_expires_at', '<', now)
        .where('attempts', '>=', maxAttempts)
        .execute();
      const failed: string[] = [];
      for (const r of stuck) {
        const error = `the request was started ${r.attempts} times and its worker stopped each time without finishing (crash or forced shutdown); giving up`;
        const done = await db.transaction().execute((tx) =>
          // Guarded by the lease expiry, so a request whose worker heartbeated meanwhile is left alone.
          failAndRefund(
            tx,
            dialect,
            renderWebhook,
            r.id,
            { leaseExpiredBefore: now },
            { error, code: 'engine_error', inferenceSeconds: null, completedAt: now, expiresAt: now + retention },
          ),
        );
        if (done) failed.push(r.id);
      }
      return failed;
    },
  };
}
