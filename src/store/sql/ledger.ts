import { randomUUID } from 'node:crypto';
import type { LedgerEntry, LedgerKind, Page, Store } from '../store.js';
import { toLedgerEntry } from '../rows.js';
import { decodeCursor, encodeCursor, lockAccount, type Db, type Dialect, type Tx } from './db.js';

/**
 * Appends a ledger entry and moves the account's balance by the same amount, inside the caller's
 * transaction (the account must be locked). The balance column is a cache of the sum of entries,
 * kept equal by only ever changing it here. Returns undefined, changing nothing, if the balance
 * would go negative.
 */
export async function appendEntry(
  tx: Tx,
  entry: { accountId: string; kind: LedgerKind; amount: number; requestId: string | null; reason: string; now: number },
): Promise<LedgerEntry | undefined> {
  const account = await tx.selectFrom('accounts').select('balance').where('id', '=', entry.accountId).executeTakeFirst();
  if (!account) return undefined;
  const balanceAfter = Number(account.balance) + entry.amount;
  if (balanceAfter < 0) return undefined;
  const last = await tx
    .selectFrom('ledger')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .where('account_id', '=', entry.accountId)
    .executeTakeFirst();
  const row = {
    id: randomUUID(),
    account_id: entry.accountId,
    kind: entry.kind,
    amount: entry.amount,
    balance_after: balanceAfter,
    request_id: entry.requestId,
    reason: entry.reason,
    created_at: entry.now,
    seq: Number(last?.seq ?? 0) + 1,
  };
  await tx.insertInto('ledger').values(row).execute();
  await tx.updateTable('accounts').set({ balance: balanceAfter }).where('id', '=', entry.accountId).execute();
  return toLedgerEntry(row);
}

/** Refunds a request's charge once (the unique index on request_id+kind backs the check). */
export async function refundOnce(tx: Tx, request: { id: string; accountId: string; price: number }, reason: string, now: number): Promise<void> {
  if (request.price <= 0) return;
  const existing = await tx.selectFrom('ledger').select('id').where('request_id', '=', request.id).where('kind', '=', 'refund').executeTakeFirst();
  if (existing) return;
  await appendEntry(tx, { accountId: request.accountId, kind: 'refund', amount: request.price, requestId: request.id, reason, now });
}

export function ledgerQueries(db: Db, dialect: Dialect): Pick<Store, 'changeCredits' | 'listLedger' | 'creditTotals'> {
  return {
    async creditTotals() {
      const rows = await db
        .selectFrom('ledger')
        .select(['kind', (eb) => eb.fn.sum<number | string>('amount').as('total')])
        .where('kind', 'in', ['charge', 'refund'])
        .groupBy('kind')
        .execute();
      const total = (kind: string): number => Math.abs(Number(rows.find((r) => r.kind === kind)?.total ?? 0));
      return { charged: total('charge'), refunded: total('refund') };
    },

    async changeCredits(accountId, kind, amount, reason, now) {
      return db.transaction().execute(async (tx) => {
        await lockAccount(tx, dialect, accountId);
        return appendEntry(tx, { accountId, kind, amount, requestId: null, reason, now });
      });
    },

    async listLedger(accountId, page: Page) {
      const after = decodeCursor(page.after);
      let query = db
        .selectFrom('ledger')
        .selectAll()
        .where('account_id', '=', accountId)
        .orderBy('seq', 'desc')
        .limit(page.limit + 1);
      if (after) query = query.where('seq', '<', after[0]);
      const rows = await query.execute();
      const items = rows.slice(0, page.limit).map(toLedgerEntry);
      const last = items.at(-1);
      return { items, next: rows.length > page.limit && last ? encodeCursor(last.seq, last.id) : null };
    },
  };
}
