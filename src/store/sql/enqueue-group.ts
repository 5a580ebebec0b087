import { randomUUID } from 'node:crypto';
import type { Insertable, Selectable } from 'kysely';
import { toRequest } from '../rows.js';
import type { LedgerTable, RequestsTable } from '../schema.js';
import type { EnqueueResult, NewRequest } from '../store.js';
import type { Db, Dialect, Tx } from './db.js';
import { chargeReason, enqueueInTransaction, newRequestRow, UNFINISHED } from './enqueue.js';

export interface GroupedSubmit {
  request: NewRequest;
  inflightLimit: number;
}

const idempotencyOf = (r: NewRequest): string | null => (r.idempotencyKey === null ? null : `${r.accountId}\0${r.idempotencyKey}`);

/**
 * A whole group of submits in a fixed number of statements inside the caller's transaction:
 * lock and read the group's accounts, read their earlier idempotency keys, in-flight counts and
 * last ledger numbers, decide every submit in order, then one insert of all requests, one of
 * all charges and one balance update per account. One at a time it was nine statements per
 * submit, each a round trip on PostgreSQL, and on SQLite a query compiled each time.
 *
 * The decisions are those of enqueueInTransaction, taken in the group's order, each seeing the
 * ones before it: a balance covers exactly the submits it can pay, the in-flight cap counts
 * the group's own accepted submits, and refusals write nothing. A submit that repeats an
 * idempotency key of an earlier one in the same group is decided after the group's writes, by
 * enqueueInTransaction itself, so it finds that request as a retry would. Any error fails the
 * whole group (the caller then runs each submit alone, see group-commit.ts).
 */
export async function enqueueGroup(tx: Tx, dialect: Dialect, group: readonly GroupedSubmit[]): Promise<EnqueueResult[]> {
  const accountIds = [...new Set(group.map((g) => g.request.accountId))].sort();
  // Locked in id order, so groups of two processes cannot deadlock; SQLite's BEGIN IMMEDIATE
  // already holds the only write lock.
  const accountsQuery = tx.selectFrom('accounts').select(['id', 'balance']).where('id', 'in', accountIds).orderBy('id');
  const accounts = await (dialect === 'postgres' ? accountsQuery.forUpdate() : accountsQuery).execute();
  const balances = new Map(accounts.map((a) => [a.id, Number(a.balance)]));

  const keys = [...new Set(group.map((g) => g.request.idempotencyKey).filter((k): k is string => k !== null))];
  const earlier = new Map<string, Selectable<RequestsTable>>();
  if (keys.length > 0) {
    const rows = await tx.selectFrom('requests').selectAll().where('account_id', 'in', accountIds).where('idempotency_key', 'in', keys).execute();
    for (const row of rows) earlier.set(`${row.account_id}\0${row.idempotency_key}`, row);
  }
  const inflight = await countsByAccount(unfinishedCounts(tx, accountIds));
  const seqs = await countsByAccount(
    tx
      .selectFrom('ledger')
      .select(['account_id', (eb) => eb.fn.max('seq').as('n')])
      .where('account_id', 'in', accountIds),
  );

  const results: Array<EnqueueResult | undefined> = [];
  const requestRows: Array<Insertable<RequestsTable>> = [];
  const ledgerRows: Array<Insertable<LedgerTable>> = [];
  const keysInGroup = new Set<string>();
  const later: number[] = [];
  group.forEach(({ request: r, inflightLimit }, i) => {
    const idempotency = idempotencyOf(r);
    if (idempotency !== null) {
      const found = earlier.get(idempotency);
      if (found) {
        const request = toRequest(found);
        results.push(request.requestHash === r.requestHash ? { kind: 'duplicate', request } : { kind: 'idempotency_conflict', request });
        return;
      }
      if (keysInGroup.has(idempotency)) {
        results.push(undefined);
        later.push(i);
        return;
      }
    }
    const n = inflight.get(r.accountId) ?? 0;
    if (n >= inflightLimit) return void results.push({ kind: 'inflight_limit', inflight: n });
    const balance = balances.get(r.accountId);
    if (balance === undefined || balance < r.price) return void results.push({ kind: 'insufficient_credits', balance: balance ?? 0 });
    const seq = (seqs.get(r.accountId) ?? 0) + 1;
    if (idempotency !== null) keysInGroup.add(idempotency);
    inflight.set(r.accountId, n + 1);
    balances.set(r.accountId, balance - r.price);
    seqs.set(r.accountId, seq);
    requestRows.push(newRequestRow(r));
    ledgerRows.push({
      id: randomUUID(),
      account_id: r.accountId,
      kind: 'charge',
      amount: -r.price,
      balance_after: balance - r.price,
      request_id: r.id,
      reason: chargeReason(r),
      created_at: r.createdAt,
      seq,
    });
    results.push({ kind: 'accepted', balance: balance - r.price });
  });

  if (requestRows.length > 0) {
    await tx.insertInto('requests').values(requestRows).execute();
    await tx.insertInto('ledger').values(ledgerRows).execute();
    for (const id of new Set(requestRows.map((row) => row.account_id)))
      await tx
        .updateTable('accounts')
        .set({ balance: balances.get(id)! })
        .where('id', '=', id)
        .execute();
  }
  for (const i of later) {
    const { request, inflightLimit } = group[i]!;
    results[i] = await enqueueInTransaction(tx, dialect, request, inflightLimit);
  }
  return results as EnqueueResult[];
}

/** Unfinished requests per account: index entries of requests_account_status only (migration 007). */
export function unfinishedCounts(db: Db | Tx, accountIds: readonly string[]) {
  return db
    .selectFrom('requests')
    .select(['account_id', (eb) => eb.fn.countAll().as('n')])
    .where('account_id', 'in', accountIds)
    .where('status', 'in', UNFINISHED);
}

/** A per-account figure (a count, a maximum) as numbers; PostgreSQL returns bigints as strings. */
async function countsByAccount(query: {
  groupBy(column: 'account_id'): { execute(): Promise<Array<{ account_id: string; n: unknown }>> };
}): Promise<Map<string, number>> {
  const rows = await query.groupBy('account_id').execute();
  return new Map(rows.map((row) => [row.account_id, Number(row.n ?? 0)]));
}
