import type { Insertable } from 'kysely';
import type { RequestsTable } from '../schema.js';
import type { EnqueueResult, NewRequest } from '../store.js';
import { toRequest } from '../rows.js';
import { lockAccount, type Dialect, type Tx } from './db.js';
import { appendEntry } from './ledger.js';

export const UNFINISHED = ['QUEUED', 'PROCESSING'];

/** The row of a newly accepted request: QUEUED, nothing run yet. */
export function newRequestRow(r: NewRequest): Insertable<RequestsTable> {
  return {
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
    price: r.price,
    base_url: r.baseUrl,
    webhook_url: r.webhookUrl,
    output_url: null,
    idempotency_key: r.idempotencyKey,
    request_hash: r.requestHash,
    door: r.door,
    door_model: r.doorModel,
  };
}

/** What the ledger says about a submit's charge. */
export function chargeReason(r: NewRequest): string {
  return `${r.model}, ${r.params.duration} s`;
}

/**
 * One submit's work inside an open transaction: idempotency, the in-flight cap, the credit check,
 * then the insert and its charge. A refusal is decided before anything is written, so a caller
 * that batches several submits in one transaction keeps the others' writes whatever this one's
 * answer is; an error leaves writes the caller must roll back (see group-commit.ts).
 */
export async function enqueueInTransaction(tx: Tx, dialect: Dialect, r: NewRequest, inflightLimit: number): Promise<EnqueueResult> {
  // The account lock also serialises two submits racing with one idempotency key.
  await lockAccount(tx, dialect, r.accountId);
  if (r.idempotencyKey !== null) {
    const earlier = await tx
      .selectFrom('requests')
      .selectAll()
      .where('account_id', '=', r.accountId)
      .where('idempotency_key', '=', r.idempotencyKey)
      .executeTakeFirst();
    if (earlier) {
      const request = toRequest(earlier);
      return request.requestHash === r.requestHash ? { kind: 'duplicate', request } : { kind: 'idempotency_conflict', request };
    }
  }
  const inflight = await tx
    .selectFrom('requests')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('account_id', '=', r.accountId)
    .where('status', 'in', UNFINISHED)
    .executeTakeFirstOrThrow();
  if (Number(inflight.n) >= inflightLimit) return { kind: 'inflight_limit', inflight: Number(inflight.n) };
  const account = await tx.selectFrom('accounts').select('balance').where('id', '=', r.accountId).executeTakeFirst();
  const balance = Number(account?.balance ?? 0);
  if (!account || balance < r.price) return { kind: 'insufficient_credits', balance };
  await tx.insertInto('requests').values(newRequestRow(r)).execute();
  const charge = await appendEntry(tx, {
    accountId: r.accountId,
    kind: 'charge',
    amount: -r.price,
    requestId: r.id,
    reason: chargeReason(r),
    now: r.createdAt,
  });
  // The balance was checked under the account lock a moment ago: this cannot refuse.
  if (!charge) throw new Error(`charging request ${r.id} failed after its balance check`);
  return { kind: 'accepted', balance: charge.balanceAfter };
}
