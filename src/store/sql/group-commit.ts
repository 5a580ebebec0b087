import type { EnqueueResult, NewRequest } from '../store.js';
import type { Db, Dialect } from './db.js';
import { enqueueGroup } from './enqueue-group.js';

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
 * PostgreSQL's WAL flush), and on PostgreSQL a round trip per statement; submits that arrive
 * while the previous group is being written, or in the same turn of the event loop, share the
 * next transaction, its few statements (enqueue-group.ts) and its one fsync. Each keeps its
 * own answer:
 *  - submits are decided one after another in the group, so each sees the charges and
 *    idempotency keys of those before it (50 parallel submits against credits for 10 still
 *    accept exactly 10), and a refusal writes nothing;
 *  - a caller is answered only after the commit that holds its request, so an accepted
 *    request is durable, and one whose commit failed was never accepted;
 *  - if the group fails (a statement or the commit), nothing of it was kept and each submit of
 *    the group is retried in a transaction of its own, so one bad submit never fails its
 *    neighbours.
 * Accounts are locked in id order within a group, so groups of two processes cannot deadlock.
 */
export function groupCommitter(db: Db, dialect: Dialect): (request: NewRequest, inflightLimit: number) => Promise<EnqueueResult> {
  const queue: Waiting[] = [];
  let running = false;

  const runAlone = (w: Waiting): Promise<EnqueueResult> => db.transaction().execute(async (tx) => (await enqueueGroup(tx, dialect, [w]))[0]!);

  async function runGroup(group: Waiting[]): Promise<void> {
    if (group.length === 1) {
      const only = group[0]!;
      await runAlone(only).then(only.resolve, only.reject);
      return;
    }
    let outcomes: EnqueueResult[];
    try {
      outcomes = await db.transaction().execute((tx) => enqueueGroup(tx, dialect, group));
    } catch {
      // The shared transaction failed as a whole: nothing of it was kept; each tries alone.
      await Promise.all(group.map((w) => runAlone(w).then(w.resolve, w.reject)));
      return;
    }
    group.forEach((w, i) => w.resolve(outcomes[i]!));
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
