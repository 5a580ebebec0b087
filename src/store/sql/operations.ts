import type { FailureCode } from '../../core/types.js';
import { toRequest } from '../rows.js';
import type { AdminRequestFilter, Overview, Store } from '../store.js';
import { decodeCursor, encodeCursor, InvalidCursorError, type Db } from './db.js';

type OperationQueries = Pick<Store, 'listAllRequests' | 'overview' | 'resendDelivery'>;

/** How far back the overview looks for finished requests and failure codes. */
const MINUTES = 15;

/**
 * A page of requests, newest first (or oldest first), filtered by any of account, front door,
 * status, model, engine and creation time (keyset paging on created_at, id). Shared by the
 * per-account list, the front doors' lists and the operator's cross-account list. The position
 * is the opaque `after` cursor, or `afterId` for APIs whose cursor is the last item's id.
 */
export async function pageRequests(db: Db, filter: AdminRequestFilter): ReturnType<Store['listAllRequests']> {
  const desc = filter.order !== 'asc';
  const after = filter.afterId !== undefined ? await positionOf(db, filter.accountId, filter.afterId) : decodeCursor(filter.after);
  let query = db
    .selectFrom('requests')
    .selectAll()
    .orderBy('created_at', desc ? 'desc' : 'asc')
    .orderBy('id', desc ? 'desc' : 'asc')
    .limit(filter.limit + 1);
  if (filter.accountId !== undefined) query = query.where('account_id', '=', filter.accountId);
  if (filter.door !== undefined) query = filter.door === null ? query.where('door', 'is', null) : query.where('door', '=', filter.door);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.model !== undefined) query = query.where('model', '=', filter.model);
  if (filter.engine !== undefined) query = query.where('engine', '=', filter.engine);
  if (filter.createdFrom !== undefined) query = query.where('created_at', '>=', filter.createdFrom);
  if (filter.createdTo !== undefined) query = query.where('created_at', '<', filter.createdTo);
  if (after) {
    const [createdAt, id] = after;
    const beyond = desc ? '<' : '>';
    query = query.where((eb) => eb.or([eb('created_at', beyond, createdAt), eb.and([eb('created_at', '=', createdAt), eb('id', beyond, id)])]));
  }
  const rows = await query.execute();
  const items = rows.slice(0, filter.limit).map(toRequest);
  const last = items.at(-1);
  return { items, next: rows.length > filter.limit && last ? encodeCursor(last.createdAt, last.id) : null };
}

/** The sort position of a request (of this account, when given), for paging after it by id. */
async function positionOf(db: Db, accountId: string | undefined, id: string): Promise<[number, string]> {
  let query = db.selectFrom('requests').select('created_at').where('id', '=', id);
  if (accountId !== undefined) query = query.where('account_id', '=', accountId);
  const row = await query.executeTakeFirst();
  if (!row) throw new InvalidCursorError();
  return [Number(row.created_at), id];
}

/** What an operator watches: the queue, the workers, the throughput and the failures. */
export function operationQueries(db: Db): OperationQueries {
  return {
    listAllRequests: (filter) => pageRequests(db, filter),

    async overview(now) {
      const since = now - MINUTES * 60_000;
      const byEngine = await db
        .selectFrom('requests')
        .select(['engine', 'status', (eb) => eb.fn.countAll().as('n')])
        .where('status', 'in', ['QUEUED', 'PROCESSING'])
        .groupBy(['engine', 'status'])
        .execute();
      const workers = await db
        .selectFrom('requests')
        .select('lease_owner')
        .distinct()
        .where('status', '=', 'PROCESSING')
        .where('lease_owner', 'is not', null)
        .execute();
      const finished = await db
        .selectFrom('requests')
        .select(['status', 'completed_at', 'failure_code'])
        .where('status', 'in', ['COMPLETED', 'FAILED'])
        .where('completed_at', '>=', since)
        .execute();
      const result: Overview = { queued: {}, processing: {}, workers: [], finishedPerMinute: [], failureCodes: {}, windowMinutes: MINUTES };
      for (const row of byEngine) (row.status === 'QUEUED' ? result.queued : result.processing)[row.engine] = Number(row.n);
      result.workers = workers.map((w) => String(w.lease_owner)).sort();
      const startMinute = Math.floor(now / 60_000) - MINUTES + 1;
      result.finishedPerMinute = Array.from({ length: MINUTES }, (_, i) => ({ minute: (startMinute + i) * 60_000, completed: 0, failed: 0 }));
      for (const row of finished) {
        const slot = result.finishedPerMinute[Math.floor(Number(row.completed_at) / 60_000) - startMinute];
        if (slot) slot[row.status === 'COMPLETED' ? 'completed' : 'failed'] += 1;
        if (row.status === 'FAILED' && row.failure_code) {
          const code = row.failure_code as FailureCode;
          result.failureCodes[code] = (result.failureCodes[code] ?? 0) + 1;
        }
      }
      return result;
    },

    async resendDelivery(id, now) {
      const res = await db
        .updateTable('webhook_deliveries')
        .set({ status: 'pending', next_attempt_at: now, lease_expires_at: null })
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(res.numUpdatedRows) === 1;
    },
  };
}
