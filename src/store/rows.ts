import type { Selectable } from 'kysely';
import type { Fault, FailureCode, RequestRecord, RequestStatus, Scope } from '../core/types.js';
import type { AccountsTable, ApiKeysTable, LedgerTable, RequestsTable, WebhookDeliveriesTable } from './schema.js';
import type { Account, ApiKeyRecord, LedgerEntry, LedgerKind, WebhookDelivery } from './store.js';

// PostgreSQL returns BIGINT as a string; every backend goes through these mappers.
const num = (v: number | string | bigint): number => Number(v);
const numOrNull = (v: number | string | bigint | null): number | null => (v === null ? null : Number(v));

export function toRequest(row: Selectable<RequestsTable>): RequestRecord {
  return {
    id: row.id,
    accountId: row.account_id,
    model: row.model,
    engine: row.engine,
    params: JSON.parse(row.params) as RequestRecord['params'],
    fault: row.fault as Fault | null,
    status: row.status as RequestStatus,
    progress: num(row.progress),
    attempts: num(row.attempts),
    leaseOwner: row.lease_owner,
    leaseExpiresAt: numOrNull(row.lease_expires_at),
    inputKey: row.input_key,
    inputMime: row.input_mime,
    outputKey: row.output_key,
    outputBytes: numOrNull(row.output_bytes),
    error: row.error,
    failureCode: row.failure_code as FailureCode | null,
    createdAt: num(row.created_at),
    startedAt: numOrNull(row.started_at),
    completedAt: numOrNull(row.completed_at),
    inferenceSeconds: numOrNull(row.inference_seconds),
    expiresAt: numOrNull(row.expires_at),
    price: num(row.price),
    version: num(row.version),
    baseUrl: row.base_url,
    webhookUrl: row.webhook_url,
    outputUrl: row.output_url,
    idempotencyKey: row.idempotency_key,
    requestHash: row.request_hash,
    seedHonoured: row.seed_honoured === null ? null : num(row.seed_honoured) === 1,
    door: row.door,
    doorModel: row.door_model,
  };
}

export function toAccount(row: Omit<Selectable<AccountsTable>, 'webhook_secret'>): Account {
  return {
    id: row.id,
    name: row.name,
    isAdmin: num(row.is_admin) === 1,
    createdAt: num(row.created_at),
    balance: num(row.balance),
    rpmLimit: numOrNull(row.rpm_limit),
    inflightLimit: numOrNull(row.inflight_limit),
    suspendedAt: numOrNull(row.suspended_at),
  };
}

export function toApiKey(row: Selectable<ApiKeysTable>): ApiKeyRecord {
  return {
    id: row.id,
    accountId: row.account_id,
    prefix: row.prefix,
    scopes: row.scopes.split(',').filter(Boolean) as Scope[],
    label: row.label,
    createdAt: num(row.created_at),
    expiresAt: numOrNull(row.expires_at),
    revokedAt: numOrNull(row.revoked_at),
    lastUsedAt: numOrNull(row.last_used_at),
  };
}

export function toLedgerEntry(row: Selectable<LedgerTable>): LedgerEntry {
  return {
    id: row.id,
    accountId: row.account_id,
    kind: row.kind as LedgerKind,
    amount: num(row.amount),
    balanceAfter: num(row.balance_after),
    requestId: row.request_id,
    reason: row.reason,
    createdAt: num(row.created_at),
    seq: num(row.seq),
  };
}

export function toDelivery(row: Selectable<WebhookDeliveriesTable>): WebhookDelivery {
  return {
    id: row.id,
    requestId: row.request_id,
    accountId: row.account_id,
    url: row.url,
    payload: row.payload,
    status: row.status as WebhookDelivery['status'],
    attempts: num(row.attempts),
    nextAttemptAt: num(row.next_attempt_at),
    lastStatus: numOrNull(row.last_status),
    lastError: row.last_error,
    createdAt: num(row.created_at),
    deliveredAt: numOrNull(row.delivered_at),
  };
}
