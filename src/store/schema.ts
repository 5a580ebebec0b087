import type { Generated } from 'kysely';

/** Table shapes as Kysely sees them. Times are integer milliseconds since the epoch on every backend. */
export interface Database {
  settings: SettingsTable;
  accounts: AccountsTable;
  api_keys: ApiKeysTable;
  requests: RequestsTable;
  ledger: LedgerTable;
  rate_counters: RateCountersTable;
  webhook_deliveries: WebhookDeliveriesTable;
}

export interface SettingsTable {
  name: string;
  value: string;
}

export interface AccountsTable {
  id: string;
  name: string;
  is_admin: number;
  created_at: number;
  balance: Generated<number>;
  rpm_limit: number | null;
  inflight_limit: number | null;
  /** When an operator suspended the account (its keys answer 403); null when active. */
  suspended_at: number | null;
  /** Signs this account's webhooks (Standard Webhooks); must be readable to sign, so it is not hashed. */
  webhook_secret: string | null;
}

export interface ApiKeysTable {
  id: string;
  account_id: string;
  /** SHA-256 (hex) of the key; the key itself is never stored. */
  key_hash: string;
  /** First characters of the key, for people to recognise it in lists. */
  prefix: string;
  /** Comma-separated scopes. */
  scopes: string;
  label: string;
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
  last_used_at: number | null;
}

export interface RequestsTable {
  id: string;
  account_id: string;
  model: string;
  engine: string;
  /** JSON of VideoParams. */
  params: string;
  fault: string | null;
  status: string;
  progress: Generated<number>;
  attempts: Generated<number>;
  lease_owner: string | null;
  lease_expires_at: number | null;
  input_key: string;
  input_mime: string;
  output_key: string | null;
  output_bytes: number | null;
  error: string | null;
  failure_code: string | null;
  created_at: number;
  started_at: number | null;
  completed_at: number | null;
  inference_seconds: number | null;
  expires_at: number | null;
  /** Credits charged at submit; what a refund gives back. */
  price: Generated<number>;
  version: Generated<number>;
  base_url: string | null;
  webhook_url: string | null;
  output_url: string | null;
  idempotency_key: string | null;
  request_hash: string | null;
  /** 1 or 0 once completed: whether the engine applied the seed; null before. */
  seed_honoured: number | null;
  /** The front door the request came through (null: Reelay's own API) and the model name its client used. */
  door: string | null;
  door_model: string | null;
}

export interface LedgerTable {
  id: string;
  account_id: string;
  kind: string;
  /** Signed: grants and refunds are positive, charges negative. */
  amount: number;
  balance_after: number;
  request_id: string | null;
  reason: string;
  created_at: number;
  /** Order of entries within an account (timestamps can tie). */
  seq: number;
}

export interface RateCountersTable {
  bucket: string;
  window_start: number;
  count: number;
}

export interface WebhookDeliveriesTable {
  id: string;
  request_id: string;
  account_id: string;
  url: string;
  /** The exact JSON body sent (and signed) on every attempt. */
  payload: string;
  /** pending | delivered | failed */
  status: string;
  attempts: number;
  next_attempt_at: number;
  lease_expires_at: number | null;
  last_status: number | null;
  last_error: string | null;
  created_at: number;
  delivered_at: number | null;
}
