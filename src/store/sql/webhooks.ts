import { randomUUID } from 'node:crypto';
import { toDelivery } from '../rows.js';
import type { Store } from '../store.js';
import type { Db, Dialect, Tx } from './db.js';

type WebhookQueries = Pick<
  Store,
  'webhookSecret' | 'setWebhookSecret' | 'claimDueDeliveries' | 'recordDeliveryAttempt' | 'listDeliveries' | 'pendingWebhookCount'
>;

/**
 * Adds a delivery to the outbox inside the caller's transaction, the one that writes the final
 * status: the request cannot finish without its webhook being recorded, even if the process dies
 * right after the commit.
 */
export async function enqueueDelivery(tx: Tx, d: { requestId: string; accountId: string; url: string; payload: string; now: number }): Promise<void> {
  await tx
    .insertInto('webhook_deliveries')
    .values({
      id: randomUUID(),
      request_id: d.requestId,
      account_id: d.accountId,
      url: d.url,
      payload: d.payload,
      status: 'pending',
      attempts: 0,
      next_attempt_at: d.now,
      lease_expires_at: null,
      last_status: null,
      last_error: null,
      created_at: d.now,
      delivered_at: null,
    })
    .execute();
}

export function webhookQueries(db: Db, dialect: Dialect): WebhookQueries {
  return {
    async pendingWebhookCount() {
      const row = await db
        .selectFrom('webhook_deliveries')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('status', '=', 'pending')
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    async webhookSecret(accountId, create) {
      await db.updateTable('accounts').set({ webhook_secret: create() }).where('id', '=', accountId).where('webhook_secret', 'is', null).execute();
      const row = await db.selectFrom('accounts').select('webhook_secret').where('id', '=', accountId).executeTakeFirstOrThrow();
      if (!row.webhook_secret) throw new Error(`account ${accountId} has no webhook secret`);
      return row.webhook_secret;
    },

    async setWebhookSecret(accountId, secret) {
      const res = await db.updateTable('accounts').set({ webhook_secret: secret }).where('id', '=', accountId).executeTakeFirst();
      return Number(res.numUpdatedRows) === 1;
    },

    async claimDueDeliveries(now, leaseMs, limit) {
      // A lease (not a status change) marks a delivery as taken, so a process that dies mid-send
      // leaves it to be retried by any process once the lease runs out.
      return db.transaction().execute(async (tx) => {
        let due = tx
          .selectFrom('webhook_deliveries')
          .select('id')
          .where('status', '=', 'pending')
          .where('next_attempt_at', '<=', now)
          .where((eb) => eb.or([eb('lease_expires_at', 'is', null), eb('lease_expires_at', '<', now)]))
          .orderBy('next_attempt_at')
          .limit(limit);
        if (dialect === 'postgres') due = due.forUpdate().skipLocked();
        const ids = (await due.execute()).map((r) => r.id);
        if (ids.length === 0) return [];
        const rows = await tx
          .updateTable('webhook_deliveries')
          .set({ lease_expires_at: now + leaseMs })
          .where('id', 'in', ids)
          .returningAll()
          .execute();
        return rows.map(toDelivery);
      });
    },

    async recordDeliveryAttempt(id, a) {
      await db
        .updateTable('webhook_deliveries')
        .set((eb) => ({
          attempts: eb('attempts', '+', 1),
          last_status: a.status,
          last_error: a.error,
          lease_expires_at: null,
          ...(a.ok ? { status: 'delivered', delivered_at: a.at } : a.nextAttemptAt === null ? { status: 'failed' } : { next_attempt_at: a.nextAttemptAt }),
        }))
        .where('id', '=', id)
        .execute();
    },

    async listDeliveries(requestId) {
      const rows = await db.selectFrom('webhook_deliveries').selectAll().where('request_id', '=', requestId).orderBy('created_at').execute();
      return rows.map(toDelivery);
    },
  };
}
