import type { Store } from './store.js';

/** The most hits one reservation takes: one shared write per this many calls at high rates. */
export const MAX_BLOCK = 256;
/** A reservation takes at most this fraction of what was left of the limit when it was made. */
export const SHARE = 16;

interface Lease {
  windowStart: number;
  /** This process may hand out the hits numbered (next, end] of the shared count. */
  next: number;
  end: number;
  /** The shared count as of this process's last reservation. */
  known: number;
  reserving: boolean;
  waiting: Array<{ resolve(count: number): void; reject(err: unknown): void }>;
}

/**
 * Rate-limit hits counted in the shared store, reserved a block at a time. Writing the shared
 * counter on every call (a write transaction per status poll on SQLite, a round trip per call on
 * PostgreSQL) was the largest cost of a poll after the HTTP write itself. A process now adds a
 * block of hits to the shared count in one write and hands them out one per call; each call's
 * count is its place in the shared count, compared with the limit as before.
 *
 * Every hit is in the shared count before it is allowed, so all processes together never allow
 * more than the limit. What a block costs is the other way: hits a process reserved and did not
 * use are lost to the others for the rest of the window. Blocks are therefore small near the
 * limit: at most 1/SHARE of what was left when the block was taken (limits below 2 × SHARE
 * reserve one hit at a time, exactly as before), and calls that arrive together share one write.
 */
export class RateLeases {
  private readonly leases = new Map<string, Lease>();
  private window = -Infinity;

  constructor(private readonly store: Pick<Store, 'countHit'>) {}

  /** Counts one hit of `bucket` in the window; returns its place in the window's shared count. */
  hit(bucket: string, windowStart: number, limit: number): number | Promise<number> {
    if (windowStart > this.window) this.newWindow(windowStart);
    let lease = this.leases.get(bucket);
    if (!lease || lease.windowStart !== windowStart) {
      lease = { windowStart, next: 0, end: 0, known: 0, reserving: false, waiting: [] };
      this.leases.set(bucket, lease);
    }
    if (lease.next < lease.end) return ++lease.next;
    const waiting = lease;
    return new Promise<number>((resolve, reject) => {
      waiting.waiting.push({ resolve, reject });
      if (!waiting.reserving) void this.reserve(bucket, waiting, limit);
    });
  }

  private async reserve(bucket: string, lease: Lease, limit: number): Promise<void> {
    lease.reserving = true;
    try {
      while (lease.waiting.length > 0) {
        const block = Math.max(lease.waiting.length, Math.min(MAX_BLOCK, Math.floor((limit - lease.known) / SHARE)));
        const total = await this.store.countHit(bucket, lease.windowStart, block);
        lease.known = total;
        lease.next = total - block;
        lease.end = total;
        while (lease.waiting.length > 0 && lease.next < lease.end) lease.waiting.shift()!.resolve(++lease.next);
      }
    } catch (err) {
      for (const w of lease.waiting.splice(0)) w.reject(err);
    } finally {
      lease.reserving = false;
    }
  }

  /** Leases of earlier windows are worth nothing: dropped, so the map holds only live keys. */
  private newWindow(windowStart: number): void {
    this.window = windowStart;
    for (const [bucket, lease] of this.leases) if (lease.windowStart < windowStart && !lease.reserving) this.leases.delete(bucket);
  }
}

const perStore = new WeakMap<Pick<Store, 'countHit'>, RateLeases>();

/** One RateLeases per store, so every route of a process draws on the same blocks. */
export function rateLeasesOf(store: Pick<Store, 'countHit'>): RateLeases {
  let leases = perStore.get(store);
  if (!leases) perStore.set(store, (leases = new RateLeases(store)));
  return leases;
}
