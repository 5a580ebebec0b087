import type { FailureCode, RequestRecord, RequestStatus, Scope } from '../core/types.js';

export interface Account {
  id: string;
  name: string;
  isAdmin: boolean;
  createdAt: number;
  /** Credits available; never negative. */
  balance: number;
  /** Per-account overrides of the global limits; null means "use the global setting". */
  rpmLimit: number | null;
  inflightLimit: number | null;
  /** Set while an operator has suspended the account: its keys are refused. */
  suspendedAt: number | null;
}

export interface ApiKeyRecord {
  id: string;
  accountId: string;
  prefix: string;
  scopes: Scope[];
  label: string;
  createdAt: number;
  expiresAt: number | null;
  revokedAt: number | null;
  lastUsedAt: number | null;
}

export type LedgerKind = 'grant' | 'charge' | 'refund' | 'adjustment';

export interface LedgerEntry {
  id: string;
  accountId: string;
  kind: LedgerKind;
  /** Signed: grants and refunds positive, charges negative, adjustments either. */
  amount: number;
  balanceAfter: number;
  requestId: string | null;
  reason: string;
  createdAt: number;
  seq: number;
}

export interface NewRequest {
  id: string;
  accountId: string;
  model: string;
  engine: string;
  params: RequestRecord['params'];
  fault: RequestRecord['fault'];
  inputKey: string;
  inputMime: string;
  createdAt: number;
  /** Credits to charge in the same transaction as the insert. */
  price: number;
  baseUrl: string;
  webhookUrl: string | null;
  /** With a key, a second submit of the same key and account returns the first request. */
  idempotencyKey: string | null;
  /** Fingerprint of the submitted parameters; the same key with another fingerprint is a conflict. */
  requestHash: string | null;
  /** The front door (null: Reelay's own API) and the model name its client used; see RequestRecord. */
  door: string | null;
  doorModel: string | null;
}

export type EnqueueResult =
  | { kind: 'accepted'; balance: number }
  | { kind: 'duplicate'; request: RequestRecord }
  | { kind: 'idempotency_conflict'; request: RequestRecord }
  | { kind: 'insufficient_credits'; balance: number }
  | { kind: 'inflight_limit'; inflight: number };

export interface Completion {
  /** False when the engine could not apply the seed; shown to the client as `seed_honoured`. */
  seedHonoured: boolean;
  outputKey: string;
  /**
   * Absolute URL of the output as the client is given it at completion (the webhook body's
   * `output`); kept as the row's `output_url`. API answers build a fresh one per call.
   */
  outputUrl: string;
  outputBytes: number;
  inferenceSeconds: number;
  completedAt: number;
  expiresAt: number;
}

export interface Failure {
  error: string;
  code: FailureCode;
  inferenceSeconds: number | null;
  completedAt: number;
  expiresAt: number;
}

export interface Page {
  limit: number;
  /** Opaque position returned as `next` by the previous page. */
  after?: string | undefined;
}

export interface RequestFilter extends Page {
  status?: RequestStatus | undefined;
  createdFrom?: number | undefined;
  createdTo?: number | undefined;
  /** Only requests of this front door (null: Reelay's own API); absent means every door. */
  door?: string | null | undefined;
  /** Newest first (default) or oldest first. */
  order?: 'asc' | 'desc' | undefined;
  /**
   * Start after this request (for APIs whose cursor is the last item's id); used instead of
   * `after`. A request that no longer exists is an InvalidCursorError.
   */
  afterId?: string | undefined;
}

/** The operator's cross-account filter (GET /admin/requests). */
export interface AdminRequestFilter extends RequestFilter {
  accountId?: string | undefined;
  model?: string | undefined;
  engine?: string | undefined;
}

/** The live picture of the service (GET /admin/overview). */
export interface Overview {
  /** Requests waiting, by engine. */
  queued: Record<string, number>;
  /** Requests running now, by engine. */
  processing: Record<string, number>;
  /** Workers holding a lease now. */
  workers: string[];
  /** Requests finished per minute, oldest first, over the last `windowMinutes`. */
  finishedPerMinute: { minute: number; completed: number; failed: number }[];
  /** Failure codes over the last `windowMinutes`. */
  failureCodes: Partial<Record<FailureCode, number>>;
  windowMinutes: number;
}

export interface WebhookDelivery {
  id: string;
  requestId: string;
  accountId: string;
  url: string;
  payload: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  nextAttemptAt: number;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: number;
  deliveredAt: number | null;
}

export interface DeliveryAttempt {
  ok: boolean;
  status: number | null;
  error: string | null;
  at: number;
  /** When to try again; null means give up (status becomes failed). Ignored when ok. */
  nextAttemptAt: number | null;
}

/**
 * Renders the webhook body of a request that has just finished (COMPLETED or FAILED). The store
 * calls it inside the transaction that writes the final status, so the outbox row commits with
 * it; the front door supplies it at wiring time, so the store knows no wire format.
 */
export type WebhookRenderer = (finished: RequestRecord) => string;

/** What a store is given when it is opened, beside its connection settings. */
export interface StoreOptions {
  renderWebhook: WebhookRenderer;
}

/** Failure codes that are the client's doing and so are not refunded (docs/api.md §7, issue 3). */
export const NON_REFUNDABLE: ReadonlySet<FailureCode> = new Set(['invalid_input', 'content_blocked']);

/**
 * Everything Reelay keeps about accounts, keys, credits and requests. One interface, one
 * implementation per database. Every state change of a request checks the state it expects, so
 * two processes racing on the same row cannot both win: the loser gets `false` back.
 */
export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  close(): Promise<void>;
  /** Throws when the database cannot be reached. */
  ping(): Promise<void>;

  /** Returns the named setting, creating it with `create()` the first time (race-safe). */
  getOrCreateSetting(name: string, create: () => string): Promise<string>;

  // Accounts and keys
  /** Inserts the account; false (and no change) when the id is taken, which makes bootstrap race-safe. */
  createAccount(account: Omit<Account, 'balance' | 'rpmLimit' | 'inflightLimit' | 'suspendedAt'>): Promise<boolean>;
  countAccounts(): Promise<number>;
  getAccount(id: string): Promise<Account | undefined>;
  /** By id or by name; with several of one name, the oldest. */
  findAccount(idOrName: string): Promise<Account | undefined>;
  /** The oldest admin account (the one made on first start). */
  findAdminAccount(): Promise<Account | undefined>;
  listAccounts(page: Page): Promise<{ items: Account[]; next: string | null }>;
  setAccountLimits(id: string, limits: { rpmLimit?: number | null; inflightLimit?: number | null }): Promise<Account | undefined>;
  /** Suspends (a time) or resumes (null) an account; undefined when it does not exist. */
  setAccountSuspended(id: string, suspendedAt: number | null): Promise<Account | undefined>;
  createApiKey(key: ApiKeyRecord, keyHash: string): Promise<void>;
  listApiKeys(accountId: string): Promise<ApiKeyRecord[]>;
  getApiKey(id: string): Promise<ApiKeyRecord | undefined>;
  revokeApiKey(id: string, now: number): Promise<boolean>;
  /** A key usable now: not revoked, not expired. Updates its last-used time. */
  findActiveKey(keyHash: string, now: number): Promise<(ApiKeyRecord & { account: Account }) | undefined>;

  // Credits
  /** Adds (or, negative, removes) credits with a ledger entry; refuses to go below zero (returns undefined). */
  changeCredits(accountId: string, kind: 'grant' | 'adjustment', amount: number, reason: string, now: number): Promise<LedgerEntry | undefined>;
  listLedger(accountId: string, page: Page): Promise<{ items: LedgerEntry[]; next: string | null }>;

  /** The account's webhook signing secret, created on first use (race-safe). */
  webhookSecret(accountId: string, create: () => string): Promise<string>;
  /** Replaces the account's webhook signing secret. */
  setWebhookSecret(accountId: string, secret: string): Promise<boolean>;

  // Webhook outbox (rows are written by complete/fail in the same transaction as the final status)
  /** Leases up to `limit` due deliveries to this process; each is handed to one process at a time. */
  claimDueDeliveries(now: number, leaseMs: number, limit: number): Promise<WebhookDelivery[]>;
  recordDeliveryAttempt(id: string, attempt: DeliveryAttempt): Promise<void>;
  listDeliveries(requestId: string): Promise<WebhookDelivery[]>;
  /** Sends a delivery again at once, whatever its state (the operator's resend); false when unknown. */
  resendDelivery(id: string, now: number): Promise<boolean>;

  // Rate limits
  /**
   * Counts `amount` hits (default 1) in the fixed window `windowStart` of `bucket`; returns the
   * count including them. The API counts through rate-leases.ts, which reserves several at once.
   */
  countHit(bucket: string, windowStart: number, amount?: number): Promise<number>;
  deleteRateWindowsBefore(windowStart: number): Promise<void>;

  // Requests
  /**
   * Charges the account and inserts the request in ONE transaction; refuses, writing nothing,
   * when the balance cannot pay or the account already has `inflightLimit` unfinished requests.
   */
  enqueuePaid(request: NewRequest, inflightLimit: number): Promise<EnqueueResult>;
  getRequest(id: string): Promise<RequestRecord | undefined>;
  listRequests(accountId: string, filter: RequestFilter): Promise<{ items: RequestRecord[]; next: string | null }>;
  /** Every account's requests, newest first, with the operator's filters. */
  listAllRequests(filter: AdminRequestFilter): Promise<{ items: RequestRecord[]; next: string | null }>;
  /** Queue depth and running requests by engine, workers, throughput and failures (see Overview). */
  overview(now: number): Promise<Overview>;
  /** Number of QUEUED requests that a worker would take before this one (0 = next). */
  queuePosition(request: RequestRecord): Promise<number>;
  /** Mean render seconds of recent COMPLETED requests of this model and engine (undefined if none). */
  averageRunSeconds(model: string, engine: string): Promise<number | undefined>;
  /** Number of PROCESSING requests now (a proxy for how many run in parallel). */
  processingCount(): Promise<number>;
  /** Number of QUEUED requests now. */
  queuedCount(): Promise<number>;
  /** Credits ever charged for requests and refunded, as positive sums over the ledger (for metrics). */
  creditTotals(): Promise<{ charged: number; refunded: number }>;
  /** Webhook deliveries still pending (not delivered, not given up). */
  pendingWebhookCount(): Promise<number>;
  /** Fails (and refunds) requests QUEUED since before `queuedBefore`; returns their ids. */
  failStaleQueued(queuedBefore: number, now: number, retention: number): Promise<string[]>;

  /**
   * Takes the oldest QUEUED request, or a PROCESSING one whose lease expired with attempts left,
   * and leases it to `workerId`; only requests for `engines` when given (the engines this worker
   * runs that have a free slot). Returns undefined when there is nothing to do.
   */
  claimNext(workerId: string, now: number, leaseMs: number, maxAttempts: number, engines?: readonly string[]): Promise<RequestRecord | undefined>;
  /** Extends the lease and records progress; false when the lease is no longer ours. */
  heartbeat(id: string, workerId: string, now: number, leaseMs: number, progress: number): Promise<boolean>;
  /** Gives a leased request back to the queue; `countAttempt` false for graceful shutdown. */
  release(id: string, workerId: string, countAttempt: boolean): Promise<boolean>;
  complete(id: string, workerId: string, completion: Completion): Promise<boolean>;
  /**
   * Fails a request leased to `workerId`, or (workerId null) any unfinished request, and in the
   * same transaction refunds its price unless the failure code is in NON_REFUNDABLE.
   */
  fail(id: string, workerId: string | null, failure: Failure): Promise<boolean>;
  /** Fails (and refunds) PROCESSING requests whose lease expired with no attempts left; returns their ids. */
  failExhausted(now: number, maxAttempts: number, retention: number): Promise<string[]>;
  /** Finished requests past their expiry, oldest first. */
  listExpired(now: number, limit: number): Promise<RequestRecord[]>;
  deleteRequest(id: string): Promise<void>;
}
