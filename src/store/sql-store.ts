import { sql, type Kysely } from 'kysely';
import type { RequestRecord } from '../core/types.js';
import type { Database } from './schema.js';
import { toAccount, toApiKey, toRequest } from './rows.js';
import type { Account, ApiKeyRecord, Completion, Failure, NewRequest, Store } from './store.js';

const UNFINISHED = ['QUEUED', 'PROCESSING'];

/** The Store written once in Kysely; backends differ only in how they open the database and claim work. */
export class SqlStore implements Store {
  constructor(
    readonly kind: 'sqlite' | 'postgres',
    protected readonly db: Kysely<Database>,
  ) {}

  async close(): Promise<void> {
    await this.db.destroy();
  }

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.db);
  }

  async getOrCreateSetting(name: string, create: () => string): Promise<string> {
    await this.db
      .insertInto('settings')
      .values({ name, value: create() })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    const row = await this.db.selectFrom('settings').select('value').where('name', '=', name).executeTakeFirstOrThrow();
    return row.value;
  }

  async createAccount(account: Account): Promise<void> {
    await this.db
      .insertInto('accounts')
      .values({ id: account.id, name: account.name, is_admin: account.isAdmin ? 1 : 0, created_at: account.createdAt })
      .execute();
  }

  async countAccounts(): Promise<number> {
    const row = await this.db.selectFrom('accounts').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async findAccount(idOrName: string): Promise<Account | undefined> {
    const row = await this.db
      .selectFrom('accounts')
      .selectAll()
      .where((eb) => eb.or([eb('id', '=', idOrName), eb('name', '=', idOrName)]))
      .orderBy('created_at')
      .executeTakeFirst();
    return row ? toAccount(row) : undefined;
  }

  async findAdminAccount(): Promise<Account | undefined> {
    const row = await this.db.selectFrom('accounts').selectAll().where('is_admin', '=', 1).orderBy('created_at').executeTakeFirst();
    return row ? toAccount(row) : undefined;
  }

  async createApiKey(key: ApiKeyRecord, keyHash: string): Promise<void> {
    await this.db
      .insertInto('api_keys')
      .values({
        id: key.id,
        account_id: key.accountId,
        key_hash: keyHash,
        prefix: key.prefix,
        scopes: key.scopes.join(','),
        label: key.label,
        created_at: key.createdAt,
        expires_at: key.expiresAt,
        revoked_at: key.revokedAt,
        last_used_at: key.lastUsedAt,
      })
      .execute();
  }

  async findActiveKey(keyHash: string, now: number): Promise<(ApiKeyRecord & { account: Account }) | undefined> {
    const row = await this.db
      .selectFrom('api_keys')
      .innerJoin('accounts', 'accounts.id', 'api_keys.account_id')
      .selectAll('api_keys')
      .select(['accounts.name', 'accounts.is_admin', 'accounts.created_at as account_created_at'])
      .where('api_keys.key_hash', '=', keyHash)
      .where('api_keys.revoked_at', 'is', null)
      .where((eb) => eb.or([eb('api_keys.expires_at', 'is', null), eb('api_keys.expires_at', '>', now)]))
      .executeTakeFirst();
    if (!row) return undefined;
    // Last-used is advisory: only written when it moved by a minute, so polling does not turn every read into a write.
    if (row.last_used_at === null || now - Number(row.last_used_at) > 60_000) {
      await this.db.updateTable('api_keys').set({ last_used_at: now }).where('id', '=', row.id).execute();
    }
    const account = toAccount({ id: row.account_id, name: row.name, is_admin: row.is_admin, created_at: row.account_created_at });
    return { ...toApiKey(row), account };
  }

  async insertRequest(r: NewRequest): Promise<void> {
    await this.db
      .insertInto('requests')
      .values({
        id: r.id,
        account_id: r.accountId,
        model: r.model,
        engine: r.engine,
        params: JSON.stringify(r.params),
        fault: r.fault,
        status: 'QUEUED',
        input_key: r.inputKey,
        input_mime: r.inputMime,
        output_key: null,
        output_bytes: null,
        error: null,
        failure_code: null,
        lease_owner: null,
        lease_expires_at: null,
        created_at: r.createdAt,
        started_at: null,
        completed_at: null,
        inference_seconds: null,
        expires_at: null,
      })
      .execute();
  }

  async getRequest(id: string): Promise<RequestRecord | undefined> {
    const row = await this.db.selectFrom('requests').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toRequest(row) : undefined;
  }

  async queuePosition(request: RequestRecord): Promise<number> {
    const row = await this.db
      .selectFrom('requests')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('status', '=', 'QUEUED')
      .where((eb) =>
        eb.or([eb('created_at', '<', request.createdAt), eb.and([eb('created_at', '=', request.createdAt), eb('id', '<', request.id)])]),
      )
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async claimNext(workerId: string, now: number, leaseMs: number, maxAttempts: number): Promise<RequestRecord | undefined> {
    let candidate = this.db
      .selectFrom('requests')
      .select('id')
      .where((eb) =>
        eb.or([
          eb('status', '=', 'QUEUED'),
          eb.and([eb('status', '=', 'PROCESSING'), eb('lease_expires_at', '<', now), eb('attempts', '<', maxAttempts)]),
        ]),
      )
      .orderBy('created_at')
      .orderBy('id')
      .limit(1);
    // SQLite serialises writers, so the subquery and update are atomic; PostgreSQL needs the row lock.
    if (this.kind === 'postgres') candidate = candidate.forUpdate().skipLocked();
    const row = await this.db
      .updateTable('requests')
      .set((eb) => ({
        status: 'PROCESSING',
        lease_owner: workerId,
        lease_expires_at: now + leaseMs,
        attempts: eb('attempts', '+', 1),
        progress: 0,
        started_at: eb.fn.coalesce('started_at', eb.val(now)),
      }))
      .where('id', '=', (eb) => eb.selectFrom(candidate.as('c')).select('c.id'))
      .returningAll()
      .executeTakeFirst();
    return row ? toRequest(row) : undefined;
  }

  async heartbeat(id: string, workerId: string, now: number, leaseMs: number, progress: number): Promise<boolean> {
    const res = await this.db
      .updateTable('requests')
      .set((eb) => ({
        lease_expires_at: now + leaseMs,
        // Progress only moves forward, whatever order heartbeats land in.
        progress: sql<number>`case when ${eb.ref('progress')} > ${progress} then ${eb.ref('progress')} else ${progress} end`,
      }))
      .where('id', '=', id)
      .where('status', '=', 'PROCESSING')
      .where('lease_owner', '=', workerId)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  async release(id: string, workerId: string, countAttempt: boolean): Promise<boolean> {
    const res = await this.db
      .updateTable('requests')
      .set((eb) => ({
        status: 'QUEUED',
        lease_owner: null,
        lease_expires_at: null,
        progress: 0,
        attempts: countAttempt ? eb.ref('attempts') : eb('attempts', '-', 1),
      }))
      .where('id', '=', id)
      .where('status', '=', 'PROCESSING')
      .where('lease_owner', '=', workerId)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  async complete(id: string, workerId: string, c: Completion): Promise<boolean> {
    const res = await this.db
      .updateTable('requests')
      .set({
        status: 'COMPLETED',
        progress: 100,
        lease_owner: null,
        lease_expires_at: null,
        output_key: c.outputKey,
        output_bytes: c.outputBytes,
        inference_seconds: c.inferenceSeconds,
        completed_at: c.completedAt,
        expires_at: c.expiresAt,
      })
      .where('id', '=', id)
      .where('status', '=', 'PROCESSING')
      .where('lease_owner', '=', workerId)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  async fail(id: string, workerId: string | null, f: Failure): Promise<boolean> {
    let query = this.db
      .updateTable('requests')
      .set({
        status: 'FAILED',
        lease_owner: null,
        lease_expires_at: null,
        error: f.error,
        failure_code: f.code,
        inference_seconds: f.inferenceSeconds,
        completed_at: f.completedAt,
        expires_at: f.expiresAt,
      })
      .where('id', '=', id);
    query =
      workerId === null
        ? query.where('status', 'in', UNFINISHED)
        : query.where('status', '=', 'PROCESSING').where('lease_owner', '=', workerId);
    const res = await query.executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  async failExhausted(now: number, maxAttempts: number, retention: number): Promise<string[]> {
    const rows = await this.db
      .updateTable('requests')
      .set((eb) => ({
        status: 'FAILED',
        lease_owner: null,
        lease_expires_at: null,
        failure_code: 'engine_error',
        error: sql<string>`'the request was started ' || ${eb.ref('attempts')} || ' times and its worker stopped each time without finishing (crash or forced shutdown); giving up'`,
        completed_at: now,
        expires_at: now + retention,
      }))
      .where('status', '=', 'PROCESSING')
      .where('lease_expires_at', '<', now)
      .where('attempts', '>=', maxAttempts)
      .returning('id')
      .execute();
    return rows.map((r) => r.id);
  }

  async listExpired(now: number, limit: number): Promise<RequestRecord[]> {
    const rows = await this.db
      .selectFrom('requests')
      .selectAll()
      .where('expires_at', '<=', now)
      .where('status', 'in', ['COMPLETED', 'FAILED'])
      .orderBy('expires_at')
      .limit(limit)
      .execute();
    return rows.map(toRequest);
  }

  async deleteRequest(id: string): Promise<void> {
    await this.db.deleteFrom('requests').where('id', '=', id).execute();
  }
}
