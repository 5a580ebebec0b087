import type { z } from 'zod';
import { ReelayError } from '../errors.js';
import type { Store } from '../store/store.js';
import { paged } from './admin.js';
import type { adminRequestFilterInput } from './admin-schemas.js';
import { accountView, deliveryView, requestSummaryView } from './admin-views.js';

/**
 * The operator's view across accounts: every request with filters, one request in full, the
 * live overview, webhook resends, and suspending an account. Used by the admin API (and so by
 * the console page).
 */
type Json = Record<string, unknown>;

export async function adminAllRequests(store: Store, filter: z.output<typeof adminRequestFilterInput>): Promise<Json> {
  let accountId: string | undefined;
  if (filter.account !== undefined && filter.account !== '') {
    const found = await store.findAccount(filter.account);
    if (!found) return { requests: [], next: null };
    accountId = found.id;
  }
  const { items, next } = await paged(() =>
    store.listAllRequests({
      limit: filter.limit,
      after: filter.after,
      status: filter.status,
      accountId,
      model: filter.model || undefined,
      engine: filter.engine || undefined,
      createdFrom: filter.from === undefined ? undefined : Date.parse(filter.from),
      createdTo: filter.to === undefined ? undefined : Date.parse(filter.to),
    }),
  );
  return { requests: items.map((r) => ({ ...requestSummaryView(r), account_id: r.accountId })), next };
}

/** One request as the operator sees it: parameters, attempts, timings, its account, webhook deliveries. */
export async function adminRequestDetail(store: Store, id: string): Promise<Json> {
  const r = await store.getRequest(id);
  if (!r) throw new ReelayError('not_found', 'Request not found');
  const account = await store.getAccount(r.accountId);
  const seconds = (from: number | null, to: number | null) => (from === null || to === null ? null : Math.max(0, (to - from) / 1000));
  return {
    ...requestSummaryView(r),
    account: account ? { id: account.id, name: account.name } : { id: r.accountId, name: null },
    progress: r.progress,
    seed: r.params.seed,
    seed_honoured: r.seedHonoured,
    lease_owner: r.leaseOwner,
    output_bytes: r.outputBytes,
    timings: {
      queue_seconds: seconds(r.createdAt, r.startedAt),
      inference_seconds: r.inferenceSeconds,
      total_seconds: seconds(r.createdAt, r.completedAt),
    },
    webhook_url: r.webhookUrl,
    deliveries: (await store.listDeliveries(r.id)).map(deliveryView),
  };
}

/** Queues a webhook delivery again at once (after a receiver was fixed, say). */
export async function adminResendDelivery(store: Store, requestId: string, deliveryId: string): Promise<Json> {
  const deliveries = await store.listDeliveries(requestId);
  if (!deliveries.some((d) => d.id === deliveryId)) throw new ReelayError('not_found', `Webhook delivery not found: ${deliveryId}`);
  await store.resendDelivery(deliveryId, Date.now());
  const updated = (await store.listDeliveries(requestId)).find((d) => d.id === deliveryId);
  return updated ? deliveryView(updated) : {};
}

/** Suspends (keys refused with 403, nothing deleted) or resumes an account. The admin account cannot be suspended. */
export async function adminSetSuspended(store: Store, id: string, suspended: boolean): Promise<Json> {
  const target = await store.findAccount(id);
  if (!target) throw new ReelayError('not_found', `Account not found: ${id}`);
  if (suspended && target.isAdmin) throw new ReelayError('conflict', 'The admin account cannot be suspended: it would lock every operator out');
  const updated = await store.setAccountSuspended(target.id, suspended ? (target.suspendedAt ?? Date.now()) : null);
  return accountView(updated ?? target);
}

export async function adminOverview(store: Store, now = Date.now()): Promise<Json> {
  const o = await store.overview(now);
  return {
    queued: o.queued,
    processing: o.processing,
    workers: o.workers,
    window_minutes: o.windowMinutes,
    finished_per_minute: o.finishedPerMinute.map((m) => ({ minute: new Date(m.minute).toISOString(), completed: m.completed, failed: m.failed })),
    failure_codes: o.failureCodes,
  };
}
