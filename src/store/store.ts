import type { FailureCode, RequestRecord, Scope } from '../core/types.js';

export interface Account {
  id: string;
  name: string;
  isAdmin: boolean;
  createdAt: number;
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
}

export interface Completion {
  outputKey: string;
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

/**
 * Everything Reelay keeps about accounts, keys and requests. One interface, one implementation per
 * database. Every state change of a request checks the state it expects, so two processes racing on
 * the same row cannot both win: the loser gets `false` (or `undefined`) back.
 */
export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  close(): Promise<void>;
  /** Throws when the database cannot be reached. */
  ping(): Promise<void>;

  /** Returns the named setting, creating it with `create()` the first time (race-safe). */
  getOrCreateSetting(name: string, create: () => string): Promise<string>;

  createAccount(account: Account): Promise<void>;
  countAccounts(): Promise<number>;
  /** By id or by name; with several of one name, the oldest. */
  findAccount(idOrName: string): Promise<Account | undefined>;
  /** The oldest admin account (the one made on first start). */
  findAdminAccount(): Promise<Account | undefined>;
  createApiKey(key: ApiKeyRecord, keyHash: string): Promise<void>;
  /** A key usable now: not revoked, not expired. Updates its last-used time. */
  findActiveKey(keyHash: string, now: number): Promise<(ApiKeyRecord & { account: Account }) | undefined>;

  insertRequest(request: NewRequest): Promise<void>;
  getRequest(id: string): Promise<RequestRecord | undefined>;
  /** Number of QUEUED requests that a worker would take before this one (0 = next). */
  queuePosition(request: RequestRecord): Promise<number>;

  /**
   * Takes the oldest QUEUED request, or a PROCESSING one whose lease expired with attempts left,
   * and leases it to `workerId`. Returns undefined when there is nothing to do.
   */
  claimNext(workerId: string, now: number, leaseMs: number, maxAttempts: number): Promise<RequestRecord | undefined>;
  /** Extends the lease and records progress; false when the lease is no longer ours. */
  heartbeat(id: string, workerId: string, now: number, leaseMs: number, progress: number): Promise<boolean>;
  /** Gives a leased request back to the queue without counting the attempt (graceful shutdown, retryable error). */
  release(id: string, workerId: string, countAttempt: boolean): Promise<boolean>;
  complete(id: string, workerId: string, completion: Completion): Promise<boolean>;
  /** Fails a request that is leased to `workerId`, or (workerId null) any unfinished request. */
  fail(id: string, workerId: string | null, failure: Failure): Promise<boolean>;
  /** Fails PROCESSING requests whose lease expired and that have no attempts left; returns their ids. */
  failExhausted(now: number, maxAttempts: number, retention: number): Promise<string[]>;
  /** Finished requests past their expiry, oldest first. */
  listExpired(now: number, limit: number): Promise<RequestRecord[]>;
  deleteRequest(id: string): Promise<void>;
}
