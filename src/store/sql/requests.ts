import { toRequest } from '../rows.js';
import { NON_REFUNDABLE, type Store, type WebhookRenderer } from '../store.js';
import { lockAccount, type Db, type Dialect, type Tx } from './db.js';
import { pageRequests } from './operations.js';
import { refundOnce } from './ledger.js';
import { enqueueDelivery } from './webhooks.js';
import { groupCommitter } from './group-commit.js';

const UNFINISHED = ['QUEUED', 'PROCESSING'];

type RequestQueries = Pick<
  Store,
  | 'enqueuePaid'
  | 'getRequest'
  | 'listRequests'
  | 'queuePosition'
  | 'listExpired'
  | 'deleteRequest'
  | 'averageRunSeconds'
  | 'processingCount'
  | 'queuedCount'
  | 'failStaleQueued'
>;

/** Submitting and reading requests. The worker's side of the lifecycle is in lifecycle.ts. */
export function requestQueries(db: Db, dialect: Dialect, renderWebhook: WebhookRenderer): RequestQueries {
  return {
    // Concurrent submits share one transaction and one fsync (see group-commit.ts).
    enqueuePaid: groupCommitter(db, dialect),

    async getRequest(id) {
      const row = await db.selectFrom('requests').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toRequest(row) : undefined;
    },

    listRequests: (accountId, filter) => pageRequests(db, { ...filter, accountId }),

    async queuePosition(request) {
      const row = await db
        .selectFrom('requests')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('status', '=', 'QUEUED')
        .where((eb) => eb.or([eb('created_at', '<', request.createdAt), eb.and([eb('created_at', '=', request.createdAt), eb('id', '<', request.id)])]))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    async listExpired(now, limit) {
      const rows = await db
        .selectFrom('requests')
        .selectAll()
        .where('expires_at', '<=', now)
        .where('status', 'in', ['COMPLETED', 'FAILED'])
        .orderBy('expires_at')
        .limit(limit)
        .execute();
      return rows.map(toRequest);
    },

    async deleteRequest(id) {
      await db.deleteFrom('requests').where('id', '=', id).execute();
    },

    async averageRunSeconds(model, engine) {
      const recent = db
        .selectFrom('requests')
        .select('inference_seconds')
        .where('model', '=', model)
        .where('engine', '=', engine)
        .where('status', '=', 'COMPLETED')
        .where('inference_seconds', 'is not', null)
        .orderBy('completed_at', 'desc')
        .limit(20);
      const row = await db
        .selectFrom(recent.as('r'))
        .select((eb) => eb.fn.avg<number | string | null>('r.inference_seconds').as('avg'))
        .executeTakeFirst();
      return row?.avg === null || row?.avg === undefined ? undefined : Number(row.avg);
    },

    async processingCount() {
      const row = await db
        .selectFrom('requests')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('status', '=', 'PROCESSING')
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    async queuedCount() {
      const row = await db
        .selectFrom('requests')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('status', '=', 'QUEUED')
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    async failStaleQueued(queuedBefore, now, retention) {
      const stale = await db.selectFrom('requests').select('id').where('status', '=', 'QUEUED').where('created_at', '<', queuedBefore).execute();
      const failed: string[] = [];
      for (const { id } of stale) {
        const error = 'the request waited in the queue longer than the queue timeout without a worker taking it';
        const done = await db.transaction().execute((tx) =>
          failAndRefund(tx, dialect, renderWebhook, id, 'queued', {
            error,
            code: 'timeout',
            inferenceSeconds: null,
            completedAt: now,
            expiresAt: now + retention,
          }),
        );
        if (done) failed.push(id);
      }
      return failed;
    },
  };
}

/** Ends a request as FAILED and refunds it (unless the failure is the client's), in the caller's transaction. */
export async function failAndRefund(
  tx: Tx,
  dialect: Dialect,
  /** Writes the webhook body from the FAILED row, in this transaction. */
  renderWebhook: WebhookRenderer,
  id: string,
  /** Whose request it must be: a worker's lease, any unfinished request (null), a QUEUED one, or one whose lease expired. */
  owner: string | null | 'queued' | { leaseExpiredBefore: number },
  f: { error: string; code: string; inferenceSeconds: number | null; completedAt: number; expiresAt: number },
): Promise<boolean> {
  const request = await tx.selectFrom('requests').select(['account_id', 'price']).where('id', '=', id).executeTakeFirst();
  if (!request) return false;
  await lockAccount(tx, dialect, request.account_id);
  let update = tx
    .updateTable('requests')
    .set((eb) => ({
      status: 'FAILED',
      lease_owner: null,
      lease_expires_at: null,
      error: f.error,
      failure_code: f.code,
      inference_seconds: f.inferenceSeconds,
      completed_at: f.completedAt,
      expires_at: f.expiresAt,
      version: eb('version', '+', 1),
    }))
    .where('id', '=', id);
  if (owner === null) update = update.where('status', 'in', UNFINISHED);
  else if (owner === 'queued') update = update.where('status', '=', 'QUEUED');
  else if (typeof owner === 'string') update = update.where('status', '=', 'PROCESSING').where('lease_owner', '=', owner);
  else update = update.where('status', '=', 'PROCESSING').where('lease_expires_at', '<', owner.leaseExpiredBefore);
  const row = await update.returningAll().executeTakeFirst();
  if (!row) return false;
  if (!NON_REFUNDABLE.has(f.code as never)) {
    await refundOnce(tx, { id, accountId: request.account_id, price: Number(request.price) }, `refund: ${f.code}`, f.completedAt);
  }
  if (row.webhook_url) {
    const payload = renderWebhook(toRequest(row));
    await enqueueDelivery(tx, { requestId: id, accountId: row.account_id, url: row.webhook_url, payload, now: f.completedAt });
  }
  return true;
}
