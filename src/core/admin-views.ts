import type { RequestRecord } from './types.js';
import type { Account, ApiKeyRecord, LedgerEntry, WebhookDelivery } from '../store/store.js';

/** JSON shapes of the admin API. A key's hash never appears in any of them. */
const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export function accountView(a: Account): Record<string, unknown> {
  return {
    id: a.id,
    name: a.name,
    is_admin: a.isAdmin,
    balance: a.balance,
    rpm_limit: a.rpmLimit,
    inflight_limit: a.inflightLimit,
    suspended_at: iso(a.suspendedAt),
    created_at: iso(a.createdAt),
  };
}

export function keyView(k: ApiKeyRecord): Record<string, unknown> {
  return {
    id: k.id,
    account_id: k.accountId,
    prefix: k.prefix,
    label: k.label,
    scopes: k.scopes,
    created_at: iso(k.createdAt),
    expires_at: iso(k.expiresAt),
    revoked_at: iso(k.revokedAt),
    last_used_at: iso(k.lastUsedAt),
  };
}

export function ledgerView(e: LedgerEntry): Record<string, unknown> {
  return {
    id: e.id,
    kind: e.kind,
    amount: e.amount,
    balance_after: e.balanceAfter,
    request_id: e.requestId,
    reason: e.reason,
    created_at: iso(e.createdAt),
  };
}

export function requestSummaryView(r: RequestRecord): Record<string, unknown> {
  return {
    request_id: r.id,
    model: r.model,
    // Which API it came through (null: Reelay's own) and the model name that client asked for.
    door: r.door,
    door_model: r.doorModel,
    engine: r.engine,
    status: r.status,
    code: r.failureCode,
    error: r.error,
    price: r.price,
    params: r.params,
    attempts: r.attempts,
    created_at: iso(r.createdAt),
    started_at: iso(r.startedAt),
    completed_at: iso(r.completedAt),
    expires_at: iso(r.expiresAt),
  };
}

export function deliveryView(d: WebhookDelivery): Record<string, unknown> {
  return {
    id: d.id,
    url: d.url,
    status: d.status,
    attempts: d.attempts,
    last_status: d.lastStatus,
    last_error: d.lastError,
    next_attempt_at: d.status === 'pending' ? iso(d.nextAttemptAt) : null,
    delivered_at: iso(d.deliveredAt),
    created_at: iso(d.createdAt),
  };
}
