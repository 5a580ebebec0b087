import { sql } from 'kysely';
import type { EnqueueResult, NewRequest } from '../store.js';
import type { Db, Dialect } from './db.js';
import { enqueueInTransaction } from './enqueue.js';

/** Submits per shared transaction at most: bounds how long one commit holds the write lock. */
const MAX_BATCH = 128;

interface Waiting {
  request: NewRequest;
  inflightLimit: number;
  resolve(result: EnqueueResult): void;
  reject(err: unknown): void;
}

/**
 * Group commit for submits. A durable submit costs one fsync at commit (SQLite synchronous=FULL,
 * PostgreSQL's WAL flush), far more than its statements; submits that arrive while the
 * previous group is being written, or in the same turn of the event loop, share the next
 * transaction and its one fsync. Each keeps its own answer:
 *  - every submit runs in its own savepoint, so an error rolls back that submit alone;
 *  - submits run one after another in the transaction, so each sees the charges and
 *    idempotency keys of those before it (50 parallel submits against credits for 10 still
 *    accept exactly 10);
 *  - a caller is answered only after the commit that holds its request, so an accepted
 *    request is durable, and one whose commit failed was never accepted;
 *  - if the shared commit itself fails, each submit of the group is retried in a transaction of
 *    its own, so one bad group never fails its neighbours.
 * Accounts are locked in id order within a group, so groups of two processes cannot deadlock.
 */
export function groupCommitter(db: Db, dialect: Dialect): (request: NewRequest, inflightLimit: number) => Promise<EnqueueResult> {
  const queue: Waiting[] = [];
  let running = false;

  const runAlone = (w: Waiting): Promise<EnqueueResult> => db.transaction().execute((tx) => enqueueInTransaction(tx, dialect, w.request, w.inflightLimit));

  async function runGroup(group: Waiting[]): Promise<void> {
    if (group.length === 1) {
      const only = group[0]!;
      await runAlone(only).then(only.resolve, only.reject);
      return;
    }
    const ordered = [...group].sort((a, b) => (a.request.accountId < b.request.accountId ? -1 : a.request.accountId > b.request.accountId ? 1 : 0));
    let outcomes: Array<{ ok: EnqueueResult } | { err: unknown }>;
    try {
      outcomes = await db.transaction().execute(async (tx) => {
        const done: Array<{ ok: EnqueueResult } | { err: unknown }> = [];
        for (const w of ordered) {
          await sql`savepoint reelay_submit`.execute(tx);
          try {
            done.push({ ok: await enqueueInTransaction(tx, dialect, w.request, w.inflightLimit) });
          } catch (err) {
            await sql`rollback to savepoint reelay_submit`.execute(tx);
            done.push({ err });
          }
          await sql`release savepoint reelay_submit`.execute(tx);
        }
        return done;
      });
    } catch {
      // The shared transaction failed as a whole: nothing of it was kept; each tries alone.
      await Promise.all(ordered.map((w) => runAlone(w).then(w.resolve, w.reject)));
      return;
    }
    ordered.forEach((w, i) => {
      const outcome = outcomes[i]!;
      if ('ok' in outcome) w.resolve(outcome.ok);
      else w.reject(outcome.err);
    });
  }

  async function drain(): Promise<void> {
    running = true;
    try {
      while (queue.length > 0) await runGroup(queue.splice(0, MAX_BATCH));
    } finally {
      running = false;
    }
  }

  return (request, inflightLimit) =>
    new Promise<EnqueueResult>((resolve, reject) => {
      queue.push({ request, inflightLimit, resolve, reject });
      // Wait for the rest of this turn of the event loop: submits decided in it join the group.
      if (!running) {
        running = true;
        setImmediate(() => void drain());
      }
    });
}
